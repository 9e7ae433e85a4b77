export { startCafe24Simulator, simulatorDefaults, type Cafe24Simulator, type Cafe24SimulatorOptions } from './server.js';
export { cafe24SimControl, type Cafe24SimControl } from './control-client.js';
