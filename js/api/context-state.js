// Access to an MLContext's internal state, shared by the API modules without import cycles.
let getter = () => null;
export function setContextStateGetter(fn) { getter = fn; }
export function contextState(c) { return getter(c); }
