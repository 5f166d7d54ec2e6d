/** Browser stand-in for src/util/atomic.ts: the page never writes files (downloads go through the browser). */
function unavailable(): never {
  throw new Error('writing files is not available in the browser');
}

export async function writeFileAtomic(): Promise<void> {
  unavailable();
}

export async function writeDirAtomic(): Promise<void> {
  unavailable();
}
