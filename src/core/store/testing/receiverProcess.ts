/**
 * A receiver in a process of its own, for the test that kills it with SIGKILL mid-ingest:
 *   node --import tsx receiverProcess.ts <storeDir>
 * prints one JSON line with its status once it listens, then runs until killed.
 */
import { startReceiver } from '../receiver';

const dir = process.argv[2];
if (!dir) throw new Error('usage: receiverProcess.ts <storeDir>');
void startReceiver({ storeDir: dir, httpPort: 0, grpcPort: null, queryPort: 0 }).then((r) => {
  process.stdout.write(JSON.stringify(r.status) + '\n');
});
