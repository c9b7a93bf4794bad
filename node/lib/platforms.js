'use strict'
// The platforms with a prebuilt native addon, one npm package each (`@enigma-click/<name>`,
// folder npm/<name>). The loader, the packing script, the version check and the release
// workflow all read this one table.
const platforms = [
  { name: 'linux-x64-gnu', os: 'linux', cpu: 'x64', libc: 'glibc', rustTarget: 'x86_64-unknown-linux-gnu' },
  { name: 'linux-arm64-gnu', os: 'linux', cpu: 'arm64', libc: 'glibc', rustTarget: 'aarch64-unknown-linux-gnu' },
  { name: 'linux-x64-musl', os: 'linux', cpu: 'x64', libc: 'musl', rustTarget: 'x86_64-unknown-linux-musl' },
  { name: 'darwin-x64', os: 'darwin', cpu: 'x64', libc: null, rustTarget: 'x86_64-apple-darwin' },
  { name: 'darwin-arm64', os: 'darwin', cpu: 'arm64', libc: null, rustTarget: 'aarch64-apple-darwin' },
  { name: 'win32-x64-msvc', os: 'win32', cpu: 'x64', libc: null, rustTarget: 'x86_64-pc-windows-msvc' },
]

const SCOPE = '@enigma-click'

/** npm package name of a platform's addon. */
function packageName(platform) {
  return `${SCOPE}/${platform.name}`
}

/** File name of the addon inside its platform package (napi-rs naming). */
function addonFileName(platform) {
  return `enigma.${platform.name}.node`
}

module.exports = { platforms, packageName, addonFileName }
