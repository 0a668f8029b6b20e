"""The Qt desktop app: model/view over the core's grids (see :mod:`jixiao.core.layout`)."""
