/** The baseline's only activity: it returns at once, so that what is measured is Temporal itself. */
export const baselineActivities = {
  async doNothing(): Promise<void> {},
};

export type BaselineActivities = typeof baselineActivities;
