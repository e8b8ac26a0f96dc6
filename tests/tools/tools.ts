/**
 * The external programs the tests run, in one declarative list. `npm test` (any vitest run, in
 * fact: see `setup.ts`) makes sure each one a selected test project needs is there before a test
 * starts, in this order of preference:
 *
 *   1. the environment variable named by `env`, when set (an explicit choice always wins);
 *   2. an npm package that ships the program (a devDependency), where it supports this platform;
 *   3. a program on PATH (or an absolute path) from `system`, or a `probe` that succeeds;
 *   4. otherwise the bootstrap installs `install.debian` with apt-get (as root, or through sudo
 *      when it needs no password), and where it cannot, stops with the exact command to run.
 *
 * To add a tool: one entry here, then `testTool('name')` (find.ts) in the test that runs it.
 * A Debian-only reader, for example:
 *
 *   { name: 'oiiotool', purpose: 'OpenImageIO reads our TIFF and EXR files', projects: ['unit'],
 *     install: { debian: 'openimageio-tools', brew: 'openimageio' } }
 *
 * and a Python module, checked with a probe rather than found on PATH:
 *
 *   { name: 'python3-opencv', purpose: 'OpenCV reads our 16-bit PNGs', projects: ['unit'],
 *     probe: ['python3', '-c', 'import cv2'], install: { debian: 'python3-opencv', brew: 'opencv' } }
 */
import { exiftoolVendored, sparticuzChromium, type NpmShippedTool } from './npm-shipped';

/** The vitest projects of vitest.config.ts. */
export type TestProjectName = 'unit' | 'web' | 'e2e';

export interface TestToolSpec {
  /** The program's name, as the tests ask for it (`testTool(name)`) and as it is found on PATH. */
  name: string;
  /** What the tests use it for: printed when it is missing. */
  purpose: string;
  /** The test projects that run it: only these make the bootstrap look for it. */
  projects: readonly TestProjectName[];
  /** An environment variable holding the program's path; it wins over everything else. */
  env?: string;
  /** A devDependency that ships the program, preferred over anything installed on the system. */
  npm?: NpmShippedTool;
  /** Programs to look for on PATH (or absolute paths), in order; `[name]` if not given. */
  system?: readonly string[];
  /** A command (program and arguments) that exits 0 when the tool is there; replaces the PATH lookup. */
  probe?: readonly string[];
  /** How a person installs it: the Debian/Ubuntu package (the bootstrap installs it itself where it can), Homebrew, Windows. */
  install: { debian?: string; brew?: string; windows?: string };
}

export const TEST_TOOLS: readonly TestToolSpec[] = [
  {
    name: 'chromium',
    purpose: 'the browser the e2e tests drive the real renderer in (playwright-core)',
    projects: ['e2e'],
    env: 'CHROMIUM_PATH',
    npm: sparticuzChromium,
    system: [
      'chromium',
      'chromium-browser',
      'google-chrome',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'
    ],
    install: { debian: 'chromium', brew: '--cask chromium', windows: 'Google Chrome, or set CHROMIUM_PATH to a Chromium' }
  },
  {
    name: 'exiftool',
    purpose: 'an independent metadata reader for the exported files and the photos’ EXIF and XMP',
    projects: ['unit', 'e2e'],
    env: 'EXIFTOOL_PATH',
    npm: exiftoolVendored,
    install: { debian: 'libimage-exiftool-perl', brew: 'exiftool', windows: 'ExifTool’s Windows executable, or set EXIFTOOL_PATH' }
  },
  {
    name: 'exrheader',
    purpose: 'the OpenEXR reference library’s header dump, checking our EXR files',
    projects: ['unit'],
    install: { debian: 'openexr', brew: 'openexr', windows: 'the OpenEXR tools (vcpkg install openexr)' }
  },
  {
    name: 'exrmaketiled',
    purpose: 'the OpenEXR reference library reading every pixel of our EXR files',
    projects: ['unit'],
    install: { debian: 'openexr', brew: 'openexr', windows: 'the OpenEXR tools (vcpkg install openexr)' }
  }
];
