'use strict'
// Looks at a native addon file before it is handed to the dynamic loader. dlopen does not
// survive every damaged file: a truncated ELF, whose segments reach past the end of the file, is
// mapped anyway and kills the process with SIGBUS when touched. Reading the headers first turns
// that, and an addon built for another architecture or system, into an error naming the file.
const fs = require('node:fs')

// e_machine (ELF), cputype (Mach-O) and Machine (PE) for the Node architectures we ship.
const ELF_MACHINES = { x64: 62, arm64: 183 }
const MACHO_CPUS = { x64: 0x01000007, arm64: 0x0100000c }
const PE_MACHINES = { x64: 0x8664, arm64: 0xaa64 }
const PT_LOAD = 1

function name(table, value) {
  return Object.keys(table).find((arch) => table[arch] === value) ?? `machine ${value}`
}

function readAt(fd, position, length) {
  const buffer = Buffer.alloc(length)
  const read = fs.readSync(fd, buffer, 0, length, position)
  return buffer.subarray(0, read)
}

/** Problems of an ELF file for `arch`: wrong class, architecture, or segments past its end. */
function checkElf(fd, size, head, arch) {
  if (head[4] !== 2 || head[5] !== 1) return 'it is not a 64-bit little-endian ELF file'
  const machine = head.readUInt16LE(18)
  if (ELF_MACHINES[arch] !== undefined && machine !== ELF_MACHINES[arch]) {
    return `it was built for ${name(ELF_MACHINES, machine)}, not ${arch}`
  }
  const phoff = Number(head.readBigUInt64LE(32))
  const phentsize = head.readUInt16LE(54)
  const phnum = head.readUInt16LE(56)
  if (phoff + phentsize * phnum > size) return `it is truncated (${size} bytes, its headers say more)`
  const table = readAt(fd, phoff, phentsize * phnum)
  for (let i = 0; i < phnum; i++) {
    const entry = table.subarray(i * phentsize)
    if (entry.readUInt32LE(0) !== PT_LOAD) continue
    const end = Number(entry.readBigUInt64LE(8)) + Number(entry.readBigUInt64LE(32))
    if (end > size) return `it is truncated (${size} bytes, its segments need ${end})`
  }
  return null
}

/**
 * Why `file` cannot be this machine's addon, or null when its headers look right. Only the
 * headers are read; the dynamic loader still has the last word.
 */
function binaryProblem(file, platform = process.platform, arch = process.arch) {
  const fd = fs.openSync(file, 'r')
  try {
    const size = fs.fstatSync(fd).size
    const head = readAt(fd, 0, 64)
    const isElf = head.length >= 64 && head.readUInt32BE(0) === 0x7f454c46
    const isMachO = head.length >= 8 && [0xfeedfacf, 0xcffaedfe, 0xcafebabe].includes(head.readUInt32BE(0))
    const isPe = head.length >= 64 && head.readUInt16BE(0) === 0x4d5a
    if (platform === 'linux' || platform === 'freebsd') {
      if (!isElf) return `it is not an ELF shared library${isMachO ? ' (it is a macOS one)' : isPe ? ' (it is a Windows one)' : ''}`
      return checkElf(fd, size, head, arch)
    }
    if (platform === 'darwin') {
      if (!isMachO) return `it is not a Mach-O library${isElf ? ' (it is a Linux one)' : isPe ? ' (it is a Windows one)' : ''}`
      const cpu = head.readUInt32BE(0) === 0xcffaedfe ? head.readUInt32LE(4) : null
      if (cpu !== null && MACHO_CPUS[arch] !== undefined && cpu !== MACHO_CPUS[arch]) {
        return `it was built for ${name(MACHO_CPUS, cpu)}, not ${arch}`
      }
      return null
    }
    if (platform === 'win32') {
      if (!isPe) return `it is not a Windows DLL${isElf ? ' (it is a Linux one)' : isMachO ? ' (it is a macOS one)' : ''}`
      const peOffset = head.readUInt32LE(60)
      const pe = readAt(fd, peOffset, 6)
      if (pe.length < 6 || pe.readUInt32BE(0) !== 0x50450000) return 'it is not a valid Windows DLL'
      const machine = pe.readUInt16LE(4)
      if (PE_MACHINES[arch] !== undefined && machine !== PE_MACHINES[arch]) {
        return `it was built for ${name(PE_MACHINES, machine)}, not ${arch}`
      }
      return null
    }
    return null
  } finally {
    fs.closeSync(fd)
  }
}

module.exports = { binaryProblem }
