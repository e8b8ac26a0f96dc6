/**
 * Depth worker thread entry: owns at most one model session and does the per-pixel work, so the
 * main event loop never waits for onnxruntime (whose Node binding runs synchronously) or for a
 * pixel loop. A thin shell: the work is in session-host.ts and pipeline.ts.
 */
import { parentPort } from 'node:worker_threads';
import type { ModelManifest } from '../../../shared/manifest';
import { toErrorValue, ZoeError } from '../../../shared/errors';
import { estimateDepth, upsampleModelOutput } from '../pipeline';
import { inspectModel, SessionHost } from '../session-host';
import type { WorkerReply, WorkerRequest } from './protocol';

interface LoadedModel {
  host: SessionHost;
  manifest: ModelManifest;
  inputName: string;
  outputName: string;
}

let loaded: LoadedModel | undefined;

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

function pickNames(host: SessionHost, manifest: ModelManifest): { inputName: string; outputName: string } {
  const inputName = manifest.input.name ?? host.inputNames()[0];
  const outputName = manifest.output.name ?? host.outputNames()[manifest.output.index];
  if (inputName === undefined || !host.inputNames().includes(inputName)) {
    throw new ZoeError('MODEL_INVALID', `The model has no input named "${String(inputName)}" as its manifest says.`, { detail: `inputs: ${host.inputNames().join(', ')}` });
  }
  if (outputName === undefined || !host.outputNames().includes(outputName)) {
    throw new ZoeError('MODEL_INVALID', `The model has no output ${manifest.output.name ?? `number ${manifest.output.index + 1}`} as its manifest says.`, {
      detail: `outputs: ${host.outputNames().join(', ')}`
    });
  }
  const shape = host.inputShape(inputName);
  const size = manifest.input.size;
  if (shape !== undefined && size.kind === 'fixed') {
    const [, channels, height, width] = shape;
    const disagrees = (declared: number | string | undefined, expected: number): boolean => typeof declared === 'number' && declared !== expected;
    if (shape.length !== 4 || disagrees(channels, 3) || disagrees(height, size.height) || disagrees(width, size.width)) {
      throw new ZoeError('MODEL_INVALID', `The model's input does not match its manifest (${size.width}×${size.height} RGB pictures).`, {
        detail: `${inputName}: [${shape.join(', ')}]`
      });
    }
  }
  return { inputName, outputName };
}

async function handle(request: WorkerRequest): Promise<void> {
  try {
    switch (request.kind) {
      case 'load': {
        const host = await SessionHost.load(request.load, (progress) => reply({ id: request.id, kind: 'progress', progress }));
        try {
          loaded = { host, manifest: request.manifest, ...pickNames(host, request.manifest) };
        } catch (error) {
          await host.release();
          throw error;
        }
        reply({ id: request.id, kind: 'done', value: host.info });
        return;
      }
      case 'estimate': {
        const model = loaded;
        if (model === undefined) throw new ZoeError('INTERNAL', 'The depth model is not loaded.');
        const result = await estimateDepth(request.photo, model.manifest, request.options, (input, dims) =>
          model.host.run(model.inputName, input, dims, model.outputName)
        );
        const value = {
          ...result,
          provider: model.host.provider,
          ...(model.host.fallbackReason === undefined ? {} : { providerFallbackReason: model.host.fallbackReason })
        };
        reply({ id: request.id, kind: 'done', value }, [result.metres.buffer as ArrayBuffer, result.modelOutput.metres.buffer as ArrayBuffer]);
        return;
      }
      case 'upsample': {
        const metres = upsampleModelOutput(request.output, request.grid);
        reply({ id: request.id, kind: 'done', value: metres }, [metres.buffer as ArrayBuffer]);
        return;
      }
      case 'inspect': {
        reply({ id: request.id, kind: 'done', value: await inspectModel(request.modelPath) });
        return;
      }
      case 'dispose': {
        await loaded?.host.release();
        loaded = undefined;
        reply({ id: request.id, kind: 'done', value: null });
        return;
      }
    }
  } catch (error) {
    reply({ id: request.id, kind: 'error', error: toErrorValue(error) });
  }
}

// One request at a time, in arrival order: a `dispose` never releases the session under a run.
let previous: Promise<void> = Promise.resolve();
parentPort?.on('message', (request: WorkerRequest) => {
  previous = previous.then(() => handle(request));
});
