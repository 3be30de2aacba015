// A separate process appending journal records, so tests can check that records written by two
// processes at once never tear or interleave (each is one O_APPEND write of a whole line).
// Usage: node --import tsx test/helpers/journal-writer.ts <stateDir> <count> <tag>
import { openJournal } from '../../electron/engine/journal';

const [stateDir, count, tag] = process.argv.slice(2);
const journal = await openJournal(stateDir!);
for (let i = 0; i < Number(count); i++) {
  // A long error makes each line several kilobytes: a torn or interleaved write would show.
  await journal.forShot(`${tag}-${i}`, `shot-${i}`, 'ark').unknown(`${tag} `.repeat(1500));
}
await journal.close();
