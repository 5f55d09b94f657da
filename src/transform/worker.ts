/** A worker thread of the codemod runner: transforms the batches of files it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTransformModule, processFile, type FileJob } from './runner';

const job = workerData as FileJob;
const transform = loadTransformModule(job.transform);

parentPort?.on('message', (message: { files: Array<{ index: number; file: string }> }) => {
  const results = message.files.map(({ index, file }) => ({ index, ...processFile(file, transform, job) }));
  parentPort!.postMessage({ results });
});
