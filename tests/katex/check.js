// Renders formulas with KaTeX: reads a JSON array of {tex, display} on stdin and prints a JSON
// array with, for each formula, null when it renders or the error message when it does not.
// strict: "error" turns KaTeX's warnings (non-standard input) into failures too.
const katex = require("katex");

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(({ tex, display }) => {
    try {
      katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: "error" });
      return null;
    } catch (error) {
      return String(error.message);
    }
  });
  process.stdout.write(JSON.stringify(results));
});
