// Reads a JSON file of the data folder: undefined when it does not exist yet, a DataFileError when it
// is not JSON.
import { readFile } from 'node:fs/promises';
import { DataFileError } from './dataFileError.ts';

export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new DataFileError(path, `not JSON (${(err as Error).message})`);
  }
}
