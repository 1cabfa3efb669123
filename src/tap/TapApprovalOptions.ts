/** The two-person rule for administrators' TAPs (README, "Two-person rule"); the deployment's `options` carry it. */
export interface TapApprovalOptions {
  /** A TAP for a user who holds any administrative role is issued pending, unusable until a second administrator approves it. */
  tapApprovalForAdmins: boolean;
}
