/**
 * Writes schemas/study-file.schema.json from the zod schema of study files
 * (src/cli/study-file.ts). A test fails when the file is out of date; run
 *   npx tsx scripts/gen-study-schema.ts
 * after changing the schema.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { studyFileJsonSchema } from '../src/cli/study-file.js';

/** The file's content: the schema as 2-space JSON with a final newline. */
export function studySchemaText(): string {
  return `${JSON.stringify(studyFileJsonSchema(), null, 2)}\n`;
}

export const STUDY_SCHEMA_PATH = fileURLToPath(new URL('../schemas/study-file.schema.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(STUDY_SCHEMA_PATH, studySchemaText());
  console.log(`wrote ${STUDY_SCHEMA_PATH}`);
}
