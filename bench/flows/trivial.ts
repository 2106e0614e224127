// The benchmark's flow: one log line, then done.
import { flow } from 'baton';

export const trivial = flow({ name: 'trivial' }, (_params, { log }) => {
  log.info('first line');
  return 1;
});
