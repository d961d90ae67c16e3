// Entry point of a checker thread (threadedChecker.ts): loads checkThread.ts through tsx, as
// bin/torrenttx.js loads the CLI. A thread does not inherit a loader registered in-process (register()
// in bin/torrenttx.js), so it cannot be started on the .ts file itself.
import { tsImport } from 'tsx/esm/api';

await tsImport('./checkThread.ts', import.meta.url);
