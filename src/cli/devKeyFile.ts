/** The zero-configuration KEK file of `npm start` (ignored by git: /keys/), relative to the working directory. */
export const DEV_KEY_FILE = "keys/dev-kek.json";
