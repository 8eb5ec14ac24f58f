; title: clearance cnc job f02d49b672c76d6b
; workflow_id: wf_manufacture_test
; job_hash: f02d49b672c76d6b1176e82568af890946ee6ddc2953ea9e99933f486fae0907
; request_hash: de401a548a635b31f819173cd9a3fc093d005852167fb2c65089a8fa661ca222
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
G1 Z-3.000 F300.0
G0 Z5.000
G0 X180.000 Y80.000
G1 Z-3.000
G0 Z5.000
G0 X150.000 Y120.000
G1 Z-3.000
G0 Z5.000
G0 Z5.000
M5
M30
