/**
 * Writes the standard synthetic scenes (photo with EXIF, exact depth, truth) into a folder:
 *   npx tsx tools/synthetic-scene/index.ts <output folder>
 */
import path from 'node:path';
import { boxesScene, roomScene } from './presets';
import { renderScene } from './render';
import { writeSyntheticPhoto } from './write';

async function main(folder: string): Promise<void> {
  for (const { scene, camera } of [roomScene(), boxesScene()]) {
    const rendered = renderScene(scene, camera);
    const written = await writeSyntheticPhoto(scene, camera, rendered, {
      folder,
      name: scene.name,
      orientation: 1,
      focal: { kind: 'focal-plane', unit: 3, sensorWidthMm: 6.17 }
    });
    process.stdout.write(`${written.photoPath}\n${written.depthPath}\n${written.truthPath}\n`);
  }
}

const folder = process.argv[2];
if (folder === undefined) {
  process.stderr.write('usage: tsx tools/synthetic-scene/index.ts <output folder>\n');
  process.exitCode = 2;
} else {
  main(path.resolve(folder)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
