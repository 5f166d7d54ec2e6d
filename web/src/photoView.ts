/**
 * The photo with its 68 landmarks drawn over it (an SVG layer in photo pixels over a canvas), the face boxes to
 * pick from when there are several faces, and pointer dragging of landmarks.
 *
 * The view knows photo pixels only; the controller converts to and from the normalized crop coordinates the
 * model uses.
 */
import type { Landmarks } from '../../src/face/landmarks.js';
import type { Point } from '../../src/geometry/affine.js';
import type { RgbImage } from '../../src/image/rgbImage.js';
import { drawRgb } from './canvasImage.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface DragHandlers {
  /** A drag of point `index` starts; return false to refuse it (point not in the current drag mode's groups). */
  start(index: number): boolean;
  /** The pointer is at `at` (photo pixels); `from` is where the drag started. */
  move(from: Point, at: Point): void;
  end(): void;
}

export class PhotoView {
  private photoSize: { width: number; height: number } = { width: 1, height: 1 };
  private readonly pointLayer: SVGGElement;
  private readonly boxLayer: SVGGElement;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly svg: SVGSVGElement,
    private readonly drag: DragHandlers,
  ) {
    this.boxLayer = document.createElementNS(SVG_NS, 'g');
    this.pointLayer = document.createElementNS(SVG_NS, 'g');
    svg.append(this.boxLayer, this.pointLayer);
  }

  showPhoto(photo: RgbImage): void {
    drawRgb(this.canvas, photo);
    this.photoSize = { width: photo.width, height: photo.height };
    this.svg.setAttribute('viewBox', `0 0 ${photo.width} ${photo.height}`);
    this.boxLayer.replaceChildren();
    this.pointLayer.replaceChildren();
  }

  /** Boxes of several faces, numbered from 1 (largest); clicking one calls `pick` with its index. */
  showFaceBoxes(
    boxes: { x: number; y: number; width: number; height: number }[],
    pick: (index: number) => void,
  ): void {
    this.boxLayer.replaceChildren(
      ...boxes.map((box, index) => {
        const group = document.createElementNS(SVG_NS, 'g');
        group.classList.add('face-box');
        group.dataset.face = String(index);
        const rect = document.createElementNS(SVG_NS, 'rect');
        rect.setAttribute('x', String(box.x));
        rect.setAttribute('y', String(box.y));
        rect.setAttribute('width', String(box.width));
        rect.setAttribute('height', String(box.height));
        const label = document.createElementNS(SVG_NS, 'text');
        label.setAttribute('x', String(box.x + 4));
        label.setAttribute('y', String(box.y + Math.max(12, box.height * 0.15)));
        label.setAttribute('font-size', String(Math.max(12, box.height * 0.15)));
        label.textContent = String(index + 1);
        group.append(rect, label);
        group.addEventListener('click', () => pick(index));
        return group;
      }),
    );
  }

  clearFaceBoxes(): void {
    this.boxLayer.replaceChildren();
  }

  /** Draws `points` (photo pixels); `movable` marks the points the current drag mode can grab. */
  showLandmarks(points: Landmarks, movable: (index: number) => boolean): void {
    const radius = Math.max(2, Math.max(this.photoSize.width, this.photoSize.height) / 180);
    if (this.pointLayer.childElementCount !== points.length) {
      this.pointLayer.replaceChildren(...points.map((_, index) => this.makePoint(index)));
    }
    points.forEach(([x, y], index) => {
      const circle = this.pointLayer.children[index] as SVGCircleElement;
      circle.setAttribute('cx', String(x));
      circle.setAttribute('cy', String(y));
      circle.setAttribute('r', String(radius));
      // A transparent wide stroke makes a small dot easy to grab.
      circle.setAttribute('stroke-width', String(radius * 2));
      circle.classList.toggle('movable', movable(index));
    });
  }

  clearLandmarks(): void {
    this.pointLayer.replaceChildren();
  }

  private makePoint(index: number): SVGCircleElement {
    const circle = document.createElementNS(SVG_NS, 'circle');
    circle.classList.add('landmark');
    circle.dataset.index = String(index);
    circle.addEventListener('pointerdown', (event) => {
      if (event.button !== 0 || !this.drag.start(index)) return;
      event.preventDefault();
      circle.setPointerCapture(event.pointerId);
      const from = this.toPhoto(event);
      const onMove = (e: PointerEvent): void => this.drag.move(from, this.toPhoto(e));
      const onUp = (): void => {
        circle.removeEventListener('pointermove', onMove);
        circle.removeEventListener('pointerup', onUp);
        circle.removeEventListener('pointercancel', onUp);
        this.drag.end();
      };
      circle.addEventListener('pointermove', onMove);
      circle.addEventListener('pointerup', onUp);
      circle.addEventListener('pointercancel', onUp);
    });
    return circle;
  }

  private toPhoto(event: PointerEvent): Point {
    const matrix = this.svg.getScreenCTM();
    if (matrix === null) return [0, 0];
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return [p.x, p.y];
  }
}
