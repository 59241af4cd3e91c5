/**
 * npm runs `prepack` before `npm pack` and `npm publish` in the clone, and also before the script
 * named `pack` (`npm run pack`). The first two would pack the repository's own manifest, with its
 * scripts and development dependencies, so they refuse; `npm run pack` goes on to scripts/pack.js,
 * which stages and packs the package as it is published.
 */
const command = process.env.npm_command;
if (command !== 'run' && command !== 'run-script') {
  console.error(
    `leakrun: npm ${command ?? 'pack'} in the clone would pack the repository's manifest; run npm run pack, which stages the published package (scripts/pack.js)`,
  );
  process.exit(1);
}
