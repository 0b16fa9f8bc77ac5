/**
 * A journal store that can "crash" in-process: after `crash()`, nothing more reaches the journal file (appends
 * never resolve, so no dependent of a step finishing afterwards starts) and the run's lock is released, as if the
 * process had been killed. The abandoned run stays in memory, unable to write; a resume then sees exactly what a
 * killed process would have left. Also records, in order, what reached the file.
 */
import { FileJournalStore, type JournalHeader, type JournalRecord, type JournalStore, type RunJournal } from "toolweave";

export class CrashableStore implements JournalStore {
  readonly inner: FileJournalStore;
  readonly written: JournalRecord[] = [];
  #open: RunJournal[] = [];
  #crashed = false;

  constructor(dir: string) {
    this.inner = new FileJournalStore({ dir });
  }

  locate(runId: string): string {
    return this.inner.locate(runId);
  }

  read(runId: string) {
    return this.inner.read(runId);
  }

  async create(header: JournalHeader): Promise<RunJournal> {
    this.#crashed = false;
    return this.#wrap(await this.inner.create(header));
  }

  async open(runId: string): Promise<RunJournal> {
    this.#crashed = false;
    return this.#wrap(await this.inner.open(runId));
  }

  /** The process "dies": nothing more is written, the lock is released. */
  async crash(): Promise<void> {
    this.#crashed = true;
    const open = this.#open;
    this.#open = [];
    await Promise.all(open.map((j) => j.close()));
  }

  #wrap(journal: RunJournal): RunJournal {
    this.#open.push(journal);
    const store = this;
    return {
      runId: journal.runId,
      header: journal.header,
      records: journal.records,
      warnings: journal.warnings,
      location: journal.location,
      append(record) {
        if (store.#crashed) return new Promise<void>(() => undefined);
        const written = journal.append(record);
        return written.then(() => {
          store.written.push(record);
        });
      },
      async close() {
        if (store.#crashed) return;
        store.#open = store.#open.filter((j) => j !== journal);
        await journal.close();
      },
    };
  }
}
