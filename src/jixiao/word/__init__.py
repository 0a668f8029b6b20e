"""Word (.docx) output, written with python-docx: the 自评报告
(:mod:`jixiao.word.writer`), with the forms as 附表 drawn from their grids
(:mod:`jixiao.word.grid`), on a GB/T 9704 page (:mod:`jixiao.word.styles`)."""
