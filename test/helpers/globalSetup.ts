import { execFileSync } from 'node:child_process';

/**
 * End-to-end tests run the real `bin/baton.js`, which runs the compiled JavaScript in dist/.
 * Build it once before the suite so the tests never exercise stale output. (BATON_SKIP_BUILD=1
 * skips it when only unit or API tests run.)
 */
export default function setup(): void {
  if (process.env.BATON_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
