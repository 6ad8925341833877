// Tests only: the real backend worker entry, plus a way to make it throw an uncaught error, as a bug would.
import { parentPort } from 'node:worker_threads';
import '../../backend-entry-worker';

parentPort!.on('message', (message: { type?: string }) => {
  if (message.type === 'throw-for-test') {
    setTimeout(() => {
      throw new Error('boom in the backend');
    }, 0);
  }
});
