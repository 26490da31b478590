// The command line from source as an executable (with tsx): what a `tdxmodel` on PATH runs in
// tests that execute example manifests and workflows as written.
import { main } from '../../src/cli.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
