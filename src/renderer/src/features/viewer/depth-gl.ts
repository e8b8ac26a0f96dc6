/**
 * Draws a depth map on the GPU with WebGL2: the metres in an R32F texture, the colour map in a
 * 256×1 RGB texture, and a fragment shader that maps depth to colour with the chosen range,
 * direction and opacity. The CPU never colourises a pixel.
 */
import { COLORMAP_SIZE, colormapLut, type ColormapName } from '../../../../shared/colormaps';
import type { DepthGrid, DepthRange } from './depth-math';

const VERTEX_SHADER = `#version 300 es
in vec2 corner;
out vec2 uv;
void main() {
  uv = vec2((corner.x + 1.0) * 0.5, (1.0 - corner.y) * 0.5);
  gl_Position = vec4(corner, 0.0, 1.0);
}`;

const FRAGMENT_SHADER = `#version 300 es
precision highp float;
uniform highp sampler2D depth;
uniform sampler2D colormap;
uniform float near;
uniform float far;
uniform bool invert;
uniform float opacity;
in vec2 uv;
out vec4 colour;
void main() {
  float metres = texture(depth, uv).r;
  if (!(metres > 0.0)) { colour = vec4(0.0); return; }
  float t = clamp((metres - near) / max(far - near, 1e-6), 0.0, 1.0);
  if (invert) t = 1.0 - t;
  vec3 rgb = texture(colormap, vec2((t * 255.0 + 0.5) / 256.0, 0.5)).rgb;
  colour = vec4(rgb * opacity, opacity);
}`;

/** How the overlay colours depth. */
export interface DepthLook {
  colormap: ColormapName;
  range: DepthRange;
  invert: boolean;
  /** 0 (photo only) to 1 (depth only). */
  opacity: number;
}

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (shader === null) throw new Error('WebGL could not create a shader.');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (gl.getShaderParameter(shader, gl.COMPILE_STATUS) !== true) {
    throw new Error(`Depth shader failed to compile: ${gl.getShaderInfoLog(shader) ?? ''}`);
  }
  return shader;
}

/** One WebGL2 context drawing one depth map; throws if the browser has no WebGL2. */
export class DepthRenderer {
  private readonly gl: WebGL2RenderingContext;
  private readonly program: WebGLProgram;
  private readonly depthTexture: WebGLTexture;
  private readonly colormapTexture: WebGLTexture;
  private colormapName: ColormapName | null = null;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const gl = canvas.getContext('webgl2', { premultipliedAlpha: true, antialias: false });
    if (gl === null) throw new Error('This browser cannot draw depth on the GPU (no WebGL2).');
    this.gl = gl;
    const program = gl.createProgram();
    gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, VERTEX_SHADER));
    gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT_SHADER));
    gl.bindAttribLocation(program, 0, 'corner');
    gl.linkProgram(program);
    if (gl.getProgramParameter(program, gl.LINK_STATUS) !== true) {
      throw new Error(`Depth shader failed to link: ${gl.getProgramInfoLog(program) ?? ''}`);
    }
    this.program = program;
    const corners = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, corners);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
    gl.enableVertexAttribArray(0);
    gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
    this.depthTexture = this.makeTexture();
    this.colormapTexture = this.makeTexture();
    // Float textures are filterable only with this extension; without it, nearest samples.
    const linear = gl.getExtension('OES_texture_float_linear') !== null;
    gl.bindTexture(gl.TEXTURE_2D, this.depthTexture);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, linear ? gl.LINEAR : gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, linear ? gl.LINEAR : gl.NEAREST);
  }

  private makeTexture(): WebGLTexture {
    const gl = this.gl;
    const texture = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    return texture;
  }

  /** Uploads a depth map (once per map; changing the look does not upload again). */
  setDepth(grid: DepthGrid): void {
    const gl = this.gl;
    gl.bindTexture(gl.TEXTURE_2D, this.depthTexture);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, grid.width, grid.height, 0, gl.RED, gl.FLOAT, grid.metres);
  }

  private setColormap(name: ColormapName): void {
    if (this.colormapName === name) return;
    const gl = this.gl;
    gl.bindTexture(gl.TEXTURE_2D, this.colormapTexture);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGB8, COLORMAP_SIZE, 1, 0, gl.RGB, gl.UNSIGNED_BYTE, colormapLut(name));
    this.colormapName = name;
  }

  /** Draws the uploaded map with `look` over the whole canvas. */
  draw(look: DepthLook): void {
    const gl = this.gl;
    this.setColormap(look.colormap);
    gl.viewport(0, 0, this.canvas.width, this.canvas.height);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.useProgram(this.program);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.depthTexture);
    gl.uniform1i(gl.getUniformLocation(this.program, 'depth'), 0);
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.colormapTexture);
    gl.uniform1i(gl.getUniformLocation(this.program, 'colormap'), 1);
    gl.uniform1f(gl.getUniformLocation(this.program, 'near'), look.range.near);
    gl.uniform1f(gl.getUniformLocation(this.program, 'far'), look.range.far);
    gl.uniform1i(gl.getUniformLocation(this.program, 'invert'), look.invert ? 1 : 0);
    gl.uniform1f(gl.getUniformLocation(this.program, 'opacity'), Math.min(1, Math.max(0, look.opacity)));
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  }

  /** Frees the GPU memory. */
  dispose(): void {
    this.gl.deleteTexture(this.depthTexture);
    this.gl.deleteTexture(this.colormapTexture);
    this.gl.deleteProgram(this.program);
  }
}
