/**
 * A tiny ONNX model made on the spot for the model-manager tests: input `pixels` [1,3,H,W],
 * output `depth` [1,1,H,W] (mean over colour of the pixels plus a stored bias). The bias makes the
 * file a few hundred kilobytes, so a download can really be cut half-way.
 */
import { onnx } from 'onnx-proto';
import type { ModelManifestInput } from '../../../src/shared/manifest';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function tensorType(dims: number[]): onnx.ITypeProto {
  return { tensorType: { elemType: FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } };
}

/** ONNX bytes of the tiny model, `height`×`width` input. */
export function makeTinyModel(height = 96, width = 128): Buffer {
  const bias = new Float32Array(3 * height * width);
  for (let index = 0; index < bias.length; index += 1) bias[index] = Math.sin(index * 12.9898) * 0.5 + 1;
  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: 'zoe-studio-tests',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'tiny',
      input: [{ name: 'pixels', type: tensorType([1, 3, height, width]) }],
      output: [{ name: 'depth', type: tensorType([1, 1, height, width]) }],
      initializer: [{ name: 'bias', dims: [1, 3, height, width], dataType: FLOAT, rawData: new Uint8Array(bias.buffer) }],
      node: [
        { opType: 'Add', input: ['pixels', 'bias'], output: ['shifted'], name: 'add' },
        {
          opType: 'ReduceMean',
          input: ['shifted'],
          output: ['depth'],
          name: 'mean',
          attribute: [
            { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
            { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 }
          ]
        }
      ]
    }
  };
  return Buffer.from(onnx.ModelProto.encode(model).finish());
}

/** A manifest for the tiny model. */
export function tinyManifest(id: string, height = 96, width = 128, source?: ModelManifestInput['source']): ModelManifestInput {
  return {
    id,
    title: `Tiny test model ${id}`,
    licence: { name: 'MIT' },
    ...(source === undefined ? {} : { source }),
    input: { name: 'pixels', layout: 'NCHW', valueRange: '0-1', size: { kind: 'fixed', height, width }, normalisation: { kind: 'in-graph' } },
    output: { name: 'depth', unit: 'metres', kind: 'metric' },
    depthRange: { min: 0.001, max: 10 },
    domain: 'indoor',
    defaults: { flip: true, pad: true }
  };
}
