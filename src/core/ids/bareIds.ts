/**
 * The one bare-ID policy: `traceLens.detection.bareIds` decides, for every place Trace Lens
 * finds trace IDs, whether an ID without a trace key around it (a bare 32-hex token, which may
 * as well be a hash) counts there. Explicit IDs (traceparent, `trace_id=…`, a trace URL) always do.
 *
 *   surface        what it offers              bare IDs under  link   hover   off
 *   hover          a summary on demand                         yes    yes     no
 *   decoration     the underline saying so                     yes    yes     no
 *   debugOutput    an entry in Recent Traces                   yes    yes     no
 *   link           Ctrl/Cmd+click in an editor                 yes    no      no
 *   terminalLink   a click in the terminal                     yes    no      no
 *
 * The terminal has no hover, so there `hover` leaves bare IDs as plain text, as the setting's
 * description says ("explicit trace IDs are links"). A debugged program's output is collected
 * for Recent Traces unless bare IDs are off: the list only offers them, as a hover does.
 */
import { detectTraceIds } from './detect';
import type { DetectedId } from './types';

/** `traceLens.detection.bareIds`. */
export type BareIdMode = 'link' | 'hover' | 'off';

/** A place where Trace Lens finds trace IDs. */
export type IdSurface = 'hover' | 'decoration' | 'debugOutput' | 'link' | 'terminalLink';

const BARE_ALLOWED: Readonly<Record<IdSurface, readonly BareIdMode[]>> = {
  hover: ['link', 'hover'],
  decoration: ['link', 'hover'],
  debugOutput: ['link', 'hover'],
  link: ['link'],
  terminalLink: ['link'],
};

/** Whether `id` counts on `surface` under `mode`: explicit IDs always, bare ones as the table says. */
export function idAllowed(id: Pick<DetectedId, 'confidence'>, mode: BareIdMode, surface: IdSurface): boolean {
  return id.confidence === 'high' || BARE_ALLOWED[surface].includes(mode);
}

/** The trace IDs in `text` that count on `surface` under `mode`, in order of position. */
export function idsFor(
  text: string,
  mode: BareIdMode,
  surface: IdSurface,
  options?: { maxLength?: number },
): DetectedId[] {
  const ids = detectTraceIds(text, options?.maxLength !== undefined ? { maxLength: options.maxLength } : {});
  return ids.filter((id) => idAllowed(id, mode, surface));
}
