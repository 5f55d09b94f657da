/** A worker thread of the codemod runner: transforms the batches of files it is sent, and stops between files when told to. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTransformModule, processFile, type FileResult, type WorkerStart } from './runner';

const { job, stop } = workerData as WorkerStart;
const stopFlag = new Int32Array(stop);
const transform = loadTransformModule(job.transform);

parentPort?.on('message', (message: { files: Array<{ index: number; file: string }> }) => {
  const results: Array<FileResult & { index: number }> = [];
  for (const { index, file } of message.files) {
    // Files left out of the reply are reported as not reached.
    if (Atomics.load(stopFlag, 0) === 1) break;
    results.push({ index, ...processFile(file, transform, job) });
  }
  parentPort!.postMessage({ results });
});
