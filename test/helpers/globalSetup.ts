import { execFileSync } from 'node:child_process';

/**
 * End-to-end tests run the real `bin/baton.js`, which runs the compiled JavaScript in dist/.
 * Build it once before the suite so the tests never exercise stale output.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
