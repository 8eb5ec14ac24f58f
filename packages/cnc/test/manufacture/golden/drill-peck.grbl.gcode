; title: clearance cnc job e969b72c24a7233b
; workflow_id: wf_manufacture_test
; job_hash: e969b72c24a7233bcf0612920540eb38ce6c54dcd9ae5fe02d866f182fefca4f
; request_hash: b8dd777a46b82936e6740215bcea117dad383e72700d27f87efb2c38cd148d7a
; version engine: 1.0.0
; version post_processor: clearance-post-grbl@1.0.0
; version toolchain: clearance-toolpaths@1.0.0
; post: grbl
; tool: T1 D3.000 mm
G21
G90
G17
G0 Z5.000
S10000 M3
G0 Z5.000
G0 X120.000 Y80.000
G1 Z-1.000 F300.0
G0 Z5.000
G1 Z-2.000
G0 Z5.000
G1 Z-3.000
G0 Z5.000
G0 X180.000 Y80.000
G1 Z-1.000
G0 Z5.000
G1 Z-2.000
G0 Z5.000
G1 Z-3.000
G0 Z5.000
G0 X150.000 Y120.000
G1 Z-1.000
G0 Z5.000
G1 Z-2.000
G0 Z5.000
G1 Z-3.000
G0 Z5.000
G0 Z5.000
M5
M30
