// How much of each card the canvas draws at a zoom. Zoomed out past the point where a card's text
// can be read, every card is drawn as a light card (kind colour, title, status dot, its ports):
// opening and dragging a big film then costs a fraction of drawing every card in full.

export type Detail = 'full' | 'light';

/**
 * Below this zoom the cards' text is not legible: their 11.5–12 px labels and prompt text render
 * under about 5.3 px tall, where a letter's x-height is under 3 pixels and words blur to grey.
 */
export const LEGIBLE_ZOOM = 0.45;

export function detailAt(zoom: number): Detail {
  return Number.isFinite(zoom) && zoom < LEGIBLE_ZOOM ? 'light' : 'full';
}
