// The umbrella module: `import Lightstream` brings in every layer.
@_exported import LightstreamArrow
@_exported import LightstreamCodecs
@_exported import LightstreamCSV
@_exported import LightstreamFraming
@_exported import LightstreamIPC
@_exported import LightstreamMMap
@_exported import LightstreamParquet
@_exported import LightstreamNIO
@_exported import LightstreamStreams
@_exported import LightstreamTLV
@_exported import Vec64
