/** The standard synthetic scenes the measurement tests and the CLI use. */
import { boxRoom, floorWithBoxes, focalLengthPxForEquivalent, type BoxSpec, type RoomSize, type Scene, type SceneCamera } from './scene';

/** A 5 m × 6 m room, 2.6 m high, seen from 1.5 m up near the middle of one wall, looking a little down. */
export const ROOM_SIZE: RoomSize = { width: 5, depth: 6, height: 2.6 };

export function roomScene(): { scene: Scene; camera: SceneCamera } {
  const width = 480;
  const height = 360;
  // A 24 mm equivalent, like a phone's main camera: wide enough to see floor, walls and ceiling.
  const focal = focalLengthPxForEquivalent(24, width, height);
  return {
    scene: boxRoom(ROOM_SIZE),
    camera: { position: [0.3, 1.5, 0.4], yawDeg: 4, pitchDeg: 8, width, height, fx: focal, fy: focal }
  };
}

/** Boxes of known size standing on a floor. */
export const BOXES: readonly BoxSpec[] = [
  { name: 'crate', centreX: -0.9, centreZ: 4.0, width: 0.8, depth: 0.6, height: 0.5 },
  { name: 'cabinet', centreX: 0.8, centreZ: 5.0, width: 0.6, depth: 0.5, height: 1.2 },
  { name: 'cube', centreX: 0.1, centreZ: 3.2, width: 0.4, depth: 0.4, height: 0.4 }
];

export function boxesScene(): { scene: Scene; camera: SceneCamera } {
  const width = 480;
  const height = 360;
  const focal = focalLengthPxForEquivalent(35, width, height);
  return {
    scene: floorWithBoxes(30, BOXES),
    camera: { position: [0, 2.4, 0.5], yawDeg: -3, pitchDeg: 30, width, height, fx: focal, fy: focal }
  };
}
