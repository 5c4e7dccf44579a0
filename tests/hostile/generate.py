#!/usr/bin/python3
"""generate.py DIR — write the big cases of the hostile corpus into DIR (they are made at test time,
never committed).  Each sits on one side of a limit of docs/limits.md; README.md says what each must give.
"""
import os
import sys

out = sys.argv[1]
MIB = 1 << 20


def put(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def numbered(n):
    """n numbered items: 1. … 999. then 1. again (1000. is not a heading number), each a node."""
    return "".join("%d. 第%d项工作\n" % (i % 999 + 1, i + 1) for i in range(n)).encode()


put("lines-1m.txt", b"1.\n" * 1000000)                       # 1,000,000 lines of "1."
put("lines-over.txt", b"x\n" * 1000001)                      # one line over the line limit
unit = "没有换行的长文本，".encode()                         # 27 bytes, no digit
put("line-50mb.txt", unit * (50000000 // len(unit)))         # a 50 MB line: 49,999,977 bytes
put("too-large.txt", b"a" * (64 * MIB + 1))                  # one byte over the document limit
put("nodes-20000.txt", numbered(20000))                      # at the node limit
put("nodes-20001.txt", numbered(20001))                      # one node over it
put("quantities-50000.txt", "完成1个，".encode() * 50000)    # at the quantity limit
put("quantities-50001.txt", "完成1个，".encode() * 50001)    # one quantity over it
put("digits-runs.txt", ("9" * 30 + "，").encode() * 2000)    # 2,000 number-too-long warnings
put("rejected-50001.txt", "第1届，".encode() * 50001)        # one rejected candidate over the limit
put("长" * 70 + ".txt", "一、总体要求\n\n完成1个。\n".encode())  # a 210-byte id: no file name
notice = ("测试市人民政府办公室关于印发多个方案的通知\n\n各区人民政府：\n\n现将有关方案印发给你们，请认真贯彻执行。\n\n"
          "附件：略\n\n测试市人民政府办公室\n2024年5月6日\n\n")
put("attachments-70.txt", (notice + "".join("附件%d\n\n第%d号方案\n\n一、总体要求\n\n完成%d个项目。\n\n" % (i, i, i)
                                            for i in range(1, 71))).encode())  # 64 attachments at most
put("runs-over.txt", "1，".encode() * 1000001)              # a run a character: 2,000,002 map runs
