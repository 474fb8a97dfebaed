/** Trace comparison: two traces operation by operation (see `compare.ts`). */
export {
  compareTraces,
  operationPath,
  type CompareOptions,
  type CompareSort,
  type ComparedTrace,
  type OperationChange,
  type OperationDiff,
  type OperationStep,
  type TraceComparison,
} from './compare';
