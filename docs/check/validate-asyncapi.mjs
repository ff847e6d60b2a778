// Validates docs/asyncapi.yaml as an AsyncAPI 3 document (structure, references, schemas) with the
// official parser. Exit code 1 on any error; warnings are printed but do not fail.
import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';

const file = process.argv[2];
const { document, diagnostics } = await new Parser().parse(readFileSync(file, 'utf8'), { source: file });
const errors = diagnostics.filter((d) => d.severity === 0);
for (const d of diagnostics) {
  const level = d.severity === 0 ? 'error' : 'warning';
  console.log(`${level}: ${d.message} at ${d.path.join('.')}`);
}
if (!document || errors.length > 0) {
  console.log(`${file}: ${errors.length} error(s)`);
  process.exit(1);
}
const messages = document.allMessages().all().map((m) => m.name());
console.log(`${file}: valid AsyncAPI ${document.version()}, ${document.channels().length} channels, ${messages.length} messages`);
