/**
 * The photo with its 68 landmarks drawn over it (an SVG layer in photo pixels over a canvas), the face boxes to
 * pick from when there are several faces, and dragging landmarks with a mouse, a pen, a finger or the keyboard.
 *
 * - Grabbing: the pointer takes the nearest movable point within reach (ties: the lower index, so the outer lip
 *   wins over the inner lip lying on it), not whichever circle happens to be drawn on top; points hidden under
 *   another (inner mouth corner under the outer one, the nostrils along the nose) can each be grabbed.
 * - Sizes follow the face, not the photo (a small face in a group photo keeps 68 distinct dots), with a minimum
 *   size on screen so a dot stays visible and a finger can reach it.
 * - Touch: the overlay has touch-action: none (style.css), so a finger drag moves a point instead of scrolling.
 * - Keyboard: the overlay is one tab stop; [ and ] pick the previous / next point, the arrow keys move it
 *   (Shift: 4× further).
 *
 * The view knows photo pixels only; the controller converts to and from the normalized crop coordinates.
 */
import type { Landmarks } from '../../src/face/landmarks.js';
import type { Point } from '../../src/geometry/affine.js';
import type { RgbImage } from '../../src/image/rgbImage.js';
import { drawRgb } from './canvasImage.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** On-screen sizes in CSS pixels: a visible dot, and how far from a dot a pointer still grabs it. */
const MIN_DOT_RADIUS = 3;
const MOUSE_REACH = 10;
const TOUCH_REACH = 22;

export interface DragHandlers {
  /** A drag of point `index` starts; return false to refuse it (point not in the current drag mode's groups). */
  start(index: number): boolean;
  /** The pointer is at `at` (photo pixels); `from` is where the drag started. */
  move(from: Point, at: Point): void;
  end(): void;
  /** The keyboard picked point `index` (for the status line). */
  selected?(index: number): void;
}

export class PhotoView {
  private photoSize: { width: number; height: number } = { width: 1, height: 1 };
  private readonly pointLayer: SVGGElement;
  private readonly boxLayer: SVGGElement;
  private points: Landmarks = [];
  private movable: (index: number) => boolean = () => false;
  /** The point the keyboard works on. */
  private selected = 48;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly svg: SVGSVGElement,
    private readonly drag: DragHandlers,
  ) {
    this.boxLayer = document.createElementNS(SVG_NS, 'g');
    this.pointLayer = document.createElementNS(SVG_NS, 'g');
    svg.append(this.boxLayer, this.pointLayer);
    svg.addEventListener('pointerdown', (event) => this.pointerDown(event));
    svg.addEventListener('keydown', (event) => this.keyDown(event));
    svg.addEventListener('focus', () => this.markSelected());
    svg.addEventListener('blur', () => this.markSelected());
    new ResizeObserver(() => this.redraw()).observe(canvas);
  }

  showPhoto(photo: RgbImage): void {
    drawRgb(this.canvas, photo);
    this.photoSize = { width: photo.width, height: photo.height };
    this.svg.setAttribute('viewBox', `0 0 ${photo.width} ${photo.height}`);
    this.boxLayer.replaceChildren();
    this.clearLandmarks();
  }

  /** Photo pixels per CSS pixel on screen (1 before the photo is laid out). */
  private photoPerScreenPixel(): number {
    const shown = this.canvas.getBoundingClientRect().width;
    return shown > 0 ? this.photoSize.width / shown : 1;
  }

  /** Boxes of several faces, numbered from 1 (largest); clicking one calls `pick` with its index. */
  showFaceBoxes(
    boxes: { x: number; y: number; width: number; height: number }[],
    pick: (index: number) => void,
  ): void {
    const perScreen = this.photoPerScreenPixel();
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
        rect.setAttribute('stroke-width', String(2 * perScreen));
        // At least 16 CSS pixels tall on screen, whatever the photo's size.
        const fontSize = Math.max(16 * perScreen, box.height * 0.15);
        const label = document.createElementNS(SVG_NS, 'text');
        label.setAttribute('x', String(box.x + 4 * perScreen));
        label.setAttribute('y', String(box.y + fontSize));
        label.setAttribute('font-size', String(fontSize));
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
    this.points = points;
    this.movable = movable;
    this.redraw();
  }

  private redraw(): void {
    const points = this.points;
    if (points.length === 0) return;
    if (this.pointLayer.childElementCount !== points.length)
      this.pointLayer.replaceChildren(...points.map((_, index) => this.makePoint(index)));
    // (once per redraw: it measures the canvas on screen, a forced layout when the page has just changed)
    const radius = String(this.dotRadius());
    points.forEach(([x, y], index) => {
      const circle = this.pointLayer.children[index] as SVGCircleElement;
      circle.setAttribute('cx', String(x));
      circle.setAttribute('cy', String(y));
      circle.setAttribute('r', radius);
      circle.classList.toggle('movable', this.movable(index));
    });
    this.markSelected();
  }

  /**
   * Dot radius in photo pixels: 1/90 of the face's width (jaw ends), and on screen at least MIN_DOT_RADIUS, unless
   * the face is so small there (a group photo) that such dots would merge: then 1/50 of its width on screen.
   */
  dotRadius(): number {
    const [a, b] = [this.points[0], this.points[16]];
    const faceWidth = a !== undefined && b !== undefined ? Math.hypot(b[0] - a[0], b[1] - a[1]) : 0;
    const perScreen = this.photoPerScreenPixel();
    const minimum = Math.min(MIN_DOT_RADIUS, faceWidth / perScreen / 50) * perScreen;
    return Math.max(faceWidth / 90, minimum);
  }

  clearLandmarks(): void {
    this.points = [];
    this.pointLayer.replaceChildren();
  }

  private makePoint(index: number): SVGCircleElement {
    const circle = document.createElementNS(SVG_NS, 'circle');
    circle.classList.add('landmark');
    circle.dataset.index = String(index);
    return circle;
  }

  /** The movable point nearest to `p` (photo pixels) within `reach` photo pixels; ties go to the lower index. */
  private nearest(p: Point, reach: number): number | undefined {
    let best: number | undefined;
    let bestDistance = reach;
    this.points.forEach(([x, y], index) => {
      if (!this.movable(index)) return;
      const d = Math.hypot(x - p[0], y - p[1]);
      if (d < bestDistance - 1e-6) {
        best = index;
        bestDistance = d;
      }
    });
    return best;
  }

  private pointerDown(event: PointerEvent): void {
    if (event.button !== 0 || this.points.length === 0) return;
    const from = this.toPhoto(event);
    const reach = (event.pointerType === 'touch' ? TOUCH_REACH : MOUSE_REACH) * this.photoPerScreenPixel();
    const index = this.nearest(from, Math.max(reach, this.dotRadius() * 1.5));
    if (index === undefined || !this.drag.start(index)) return;
    event.preventDefault();
    this.selected = index;
    this.markSelected();
    this.svg.setPointerCapture(event.pointerId);
    const onMove = (e: PointerEvent): void => {
      if (e.pointerId === event.pointerId) this.drag.move(from, this.toPhoto(e));
    };
    const onUp = (e: PointerEvent): void => {
      if (e.pointerId !== event.pointerId) return;
      this.svg.removeEventListener('pointermove', onMove);
      this.svg.removeEventListener('pointerup', onUp);
      this.svg.removeEventListener('pointercancel', onUp);
      this.drag.end();
    };
    this.svg.addEventListener('pointermove', onMove);
    this.svg.addEventListener('pointerup', onUp);
    this.svg.addEventListener('pointercancel', onUp);
  }

  private keyDown(event: KeyboardEvent): void {
    if (this.points.length === 0) return;
    const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[event.key];
    if (event.key === '[' || event.key === ']') {
      event.preventDefault();
      const direction = event.key === ']' ? 1 : -1;
      for (let k = 1; k <= this.points.length; k++) {
        const index = (this.selected + direction * k + this.points.length * 2) % this.points.length;
        if (this.movable(index)) {
          this.selected = index;
          break;
        }
      }
      this.markSelected();
      this.drag.selected?.(this.selected);
      return;
    }
    if (step === undefined || !this.movable(this.selected)) return;
    event.preventDefault();
    if (!this.drag.start(this.selected)) return;
    // One key press moves the point by a fiftieth of the face's width (Shift: four times that).
    const distance = this.dotRadius() * 1.8 * (event.shiftKey ? 4 : 1);
    const from = this.points[this.selected]!;
    this.drag.move(from, [from[0] + step[0]! * distance, from[1] + step[1]! * distance]);
    this.drag.end();
  }

  private markSelected(): void {
    const focused = document.activeElement === this.svg;
    for (const circle of this.pointLayer.children)
      circle.classList.toggle(
        'selected',
        focused && Number((circle as SVGElement).dataset.index) === this.selected,
      );
    this.svg.dataset.selected = String(this.selected);
  }

  private toPhoto(event: PointerEvent): Point {
    const matrix = this.svg.getScreenCTM();
    if (matrix === null) return [0, 0];
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return [p.x, p.y];
  }
}
