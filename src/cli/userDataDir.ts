// Where `torrenttx node` and `torrenttx tracker` keep their data unless --data says: under the user's data
// directory, $XDG_DATA_HOME/torrenttx (~/.local/share/torrenttx by default).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userDataDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'torrenttx', name);
}
