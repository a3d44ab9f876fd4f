import { configDefaults, defineConfig } from 'vitest/config';

// Two projects, so the fast checks run anywhere and the slow ones say what they need:
//   unit         tests beside the code (src/**/*.test.ts) and the static checks of the repository
//                (test/static/): no Redis, no servers; `npm run test:unit` runs them with Redis
//                down.
//   integration  everything else under test/: real Redis, real loopback servers, walrus-local.
// `npm test` runs both. Test files run in forked processes because the Walrus encoder runs in
// worker threads and some suites start servers; the projects inherit these settings (extends).
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'test/static/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/static/**'] } },
    ],
  },
});
