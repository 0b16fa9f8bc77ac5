/** @module ANSI colours, used only on a terminal and never when NO_COLOR is set (https://no-color.org). */

export interface Palette {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap =
  (open: number, close: number) =>
  (text: string): string =>
    `\x1b[${open}m${text}\x1b[${close}m`;

const identity = (text: string): string => text;

export const COLORS: Palette = {
  green: wrap(32, 39),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};

export const NO_COLORS: Palette = { green: identity, red: identity, yellow: identity, cyan: identity, dim: identity, bold: identity };

export function shouldUseColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export function palette(enabled: boolean): Palette {
  return enabled ? COLORS : NO_COLORS;
}
