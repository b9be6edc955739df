/**
 * The coordination analysis's thread (see `workerAnalysis`): builds the corpus from the
 * records it is sent, in order, and analyses it when asked.
 */
import { parentPort, workerData } from "node:worker_threads";
import { analyzeCoordination, SocialCorpus } from "../detect/index.js";
import type { SocialAccount, SocialPost } from "../model/index.js";
import type { FromAnalysisThread, ToAnalysisThread } from "./coordination-analysis.js";

const port = parentPort;
if (port === null) throw new Error("coordination-worker runs as a worker thread only");
const corpus = new SocialCorpus((workerData as { seed: number }).seed);

port.on("message", (message: ToAnalysisThread) => {
  try {
    if (message.type === "items") {
      const { records, kinds } = message;
      for (let i = 0; i < records.length; i++) {
        if (kinds.charCodeAt(i) === 0x61 /* a */) corpus.addAccount(records[i] as SocialAccount);
        else corpus.addPost(records[i] as SocialPost);
      }
      return;
    }
    const result = analyzeCoordination(corpus, {
      ...message.options,
      ...(message.progress
        ? {
            onProgress: (p: { stage: string; done: number; total: number }) => {
              const progress: FromAnalysisThread = { type: "progress", ...p };
              port.postMessage(progress);
            },
          }
        : {}),
    });
    const reply: FromAnalysisThread = { type: "result", result };
    port.postMessage(reply);
  } catch (error) {
    const err = error as Error;
    const reply: FromAnalysisThread = {
      type: "error",
      message: err.message ?? String(error),
      ...(err.stack === undefined ? {} : { stack: err.stack }),
    };
    port.postMessage(reply);
  }
});
