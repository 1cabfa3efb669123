/** The registration challenge of an interaction is bound to it. */
export const registrationPurpose = (interactionId: string) => `reg:${interactionId}`;
