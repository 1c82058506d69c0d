'use strict';
// The CommonJS entries (index.cjs, polyfill.cjs) hand back the ES module itself: one copy of the
// API, so `require` and `import` users share one engine and one navigator.ml. That needs Node's
// require(esm) (on by default since 20.19 and 22.12); where it is off, say what to do instead of
// Node's bare ERR_REQUIRE_ESM.
module.exports = function requireEsm(load, specifier) {
  try {
    return load();
  } catch (e) {
    if (!e || e.code !== 'ERR_REQUIRE_ESM') throw e;
    throw new Error(
      `${specifier} is an ES module and this Node.js cannot require() ES modules ` +
      '(Node older than 20.19 / 22.12, or --no-experimental-require-module). ' +
      `Load it with \`await import('${specifier}')\` (that works from CommonJS too), ` +
      'or run Node.js 20.19+ / 22.12+ without --no-experimental-require-module.',
      { cause: e },
    );
  }
};
