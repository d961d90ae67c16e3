// Starts a node:http server listening and turns the usual failures into one-line ListenErrors.
import type { Server } from 'node:http';
import { ListenError } from './listenError.ts';

/** What to tell the user for a port that cannot be taken: the option that sets it (`--port`). */
export function listenErrorOf(err: NodeJS.ErrnoException, port: number, host: string, flag: string): Error {
  switch (err.code) {
    case 'EADDRINUSE':
      return new ListenError(err.code, `port ${port} is in use: stop the other program or pass ${flag} N`);
    case 'EACCES':
      return new ListenError(err.code, `port ${port} needs privileges this user lacks: pass ${flag} N`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ListenError(err.code, `host ${host} is not an address of this machine: pass --host`);
    default:
      return err;
  }
}

/** Resolves with the bound port once listening; rejects with a ListenError otherwise. */
export function listen(server: Server, port: number, host: string, flag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(listenErrorOf(err, port, host, flag));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as { port: number }).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
