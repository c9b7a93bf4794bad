'use strict'
// The native addon (crates/enigma-node), found by ./loader.js: a source build, or the prebuilt
// platform package npm installed beside enigma-click.
module.exports = require('./loader').loadAddon()
