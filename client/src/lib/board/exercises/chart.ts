/** One bar of a BarChart: always labelled with its name and value. */
export interface Bar {
  label: string;
  value: number;
  /** A second line under the label. */
  note?: string;
  /** Bars of series 1 are hatched as well as coloured, so two series differ without colour. */
  series?: number;
}
