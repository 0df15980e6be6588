const fs = require("fs"); // violation: bare built-in through require
export const w: unknown = fs;
