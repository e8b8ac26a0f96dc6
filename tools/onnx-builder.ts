/**
 * A small ONNX graph writer on top of `onnx-proto` (no Python here). Used by the test-model
 * generator and the engine bench; not part of the app.
 */
import { onnx } from 'onnx-proto';

/** A dimension: a fixed size or a symbolic name (dynamic). */
export type Dimension = number | string;

/** An attribute value as the builder accepts it. */
export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: number[] }
  | { kind: 'string'; value: string };

/** Weights stored beside the graph in an external data file, as large real exports do. */
export interface ExternalTensorData {
  location: string;
  offset: number;
  length: number;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

function valueInfo(name: string, dims: Dimension[], elemType: number = FLOAT): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) }
      }
    }
  };
}

function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (value.kind) {
    case 'int':
      return { name, type: T.INT, i: value.value };
    case 'ints':
      return { name, type: T.INTS, ints: value.value };
    case 'float':
      return { name, type: T.FLOAT, f: value.value };
    case 'floats':
      return { name, type: T.FLOATS, floats: value.value };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(value.value) };
  }
}

/** Builds one graph, node by node, then encodes it as an ONNX model. */
export class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private counter = 0;

  constructor(private readonly graphName: string) {}

  addInput(name: string, dims: Dimension[]): string {
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  /** An output, float32 unless `elemType` (an `onnx.TensorProto.DataType`) says otherwise. */
  addOutput(name: string, dims: Dimension[], elemType: number = FLOAT): string {
    this.outputs.push(valueInfo(name, dims, elemType));
    return name;
  }

  /** A float32 constant held in the graph. */
  addFloats(name: string, dims: number[], values: Float32Array): string {
    this.initializers.push({
      name,
      dims,
      dataType: FLOAT,
      rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
    });
    return name;
  }

  /** A float32 constant whose bytes live in an external data file written by the caller. */
  addExternalFloats(name: string, dims: number[], data: ExternalTensorData): string {
    this.initializers.push({
      name,
      dims,
      dataType: FLOAT,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: data.location },
        { key: 'offset', value: String(data.offset) },
        { key: 'length', value: String(data.length) }
      ]
    });
    return name;
  }

  /** An int64 constant (shapes, axes). */
  addInt64s(name: string, values: number[]): string {
    this.initializers.push({ name, dims: [values.length], dataType: INT64, int64Data: values });
    return name;
  }

  /** A scalar (0-d) int64 constant with a generated name (Gather indices, Range bounds). */
  int64Scalar(value: number): string {
    const name = `i${this.counter++}`;
    this.initializers.push({ name, dims: [], dataType: INT64, int64Data: [value] });
    return name;
  }

  /** A scalar float32 constant with a generated name. */
  scalar(value: number): string {
    return this.addFloats(`c${this.counter++}`, [], Float32Array.of(value));
  }

  /** Appends a node; returns its first output's name (generated when not given). */
  node(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, outputs?: string[]): string {
    const outs = outputs ?? [`${opType.toLowerCase()}_${this.counter++}`];
    this.nodes.push({
      opType,
      input: inputs,
      output: outs,
      name: `${opType}_${this.counter++}`,
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value))
    });
    const first = outs[0];
    if (first === undefined) throw new Error('a node needs an output');
    return first;
  }

  /** The model as ONNX protobuf bytes (opset 17, IR version 8). */
  encode(opset = 17): Uint8Array {
    const model: onnx.IModelProto = {
      irVersion: 8,
      producerName: 'zoe-studio-tools',
      opsetImport: [{ domain: '', version: opset }],
      graph: {
        name: this.graphName,
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers
      }
    };
    return onnx.ModelProto.encode(model).finish();
  }
}

/** Integer attribute. */
export function int(value: number): AttributeValue {
  return { kind: 'int', value };
}
/** Integer list attribute. */
export function ints(value: number[]): AttributeValue {
  return { kind: 'ints', value };
}
/** Float attribute. */
export function float(value: number): AttributeValue {
  return { kind: 'float', value };
}
/** String attribute. */
export function text(value: string): AttributeValue {
  return { kind: 'string', value };
}
