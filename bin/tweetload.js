#!/usr/bin/env node
// The CLI runs from dist/; a clone that was never built gets a sentence, not a stack.
let main;
try {
  main = await import("../dist/cli/main.js");
} catch (error) {
  // Only main.js itself missing means "not built"; a missing dependency of it is another story.
  if (!/Cannot find module '[^']*dist[\\/]cli[\\/]main\.js'/.test(String(error?.message))) {
    throw error;
  }
  console.error("tweetload: this copy is not built (no dist/): run `npm run build` in its folder.");
  process.exit(1);
}
await main.runCli(process.argv.slice(2));
