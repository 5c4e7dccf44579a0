#!/usr/bin/env python3
"""mkinput.py — write the hand-made gongwen records the emit golden tests read (CASE/input.jsonl).

The records are what gw-extract would give for small documents written for these tests; spans are
found with str.find, so they count code points as the model does.  Run it from this folder after
changing it, then regenerate the expected files (see tests/golden/emit/README.md).
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def span(text, needle, nth=0, start=0):
    i = start - 1
    for _ in range(nth + 1):
        i = text.find(needle, i + 1)
        assert i >= 0, needle
    return [i, i + len(needle)]


def record(rid, text, **kw):
    r = {"schema": "gongwen/1", "id": rid,
         "source": {"path": "tests/" + rid + ".txt", "sha256": "0" * 63 + "1",
                    "bytes": len(text.encode("utf-8")), "encoding": "UTF-8", "metadata": {}},
         "generator": {"name": "gongwen", "version": "0.1.0", "rules": None},
         "stages": ["normalize", "segment", "extract"], "text": text, "removed": [],
         "offset_map": [0, 0, 1, 1, 1] if text and text.isascii() else [],
         "is_notice": kw.get("is_notice", True), "header": kw.get("header", header()),
         "body": kw.get("body", []), "attachments": kw.get("attachments", []),
         "quantities": kw.get("quantities", []), "rejected": [], "warnings": []}
    return r


def header(**kw):
    h = {"issuer": None, "doc_number": None, "title": None, "doc_type": None, "addressees": [],
         "addressees_text": None, "date": None, "date_text": None, "copy_no": None,
         "secrecy": None, "urgency": None, "issuer_mark": None, "signer": None,
         "attachment_note": None, "signature": None, "note": None, "cc": [], "cc_text": None,
         "printer": None, "print_date": None, "print_date_text": None, "spans": {}}
    h.update(kw)
    return h


def node(text, rid, kind, num, ordinal, heading, start, end, children=()):
    s = text.find(num, start)
    hs = span(text, heading, 0, s) if heading else None
    return {"id": rid, "kind": kind, "num": num, "ordinal": ordinal, "heading": heading,
            "span": [s, end], "heading_span": hs, "source_span": None, "children": list(children)}


def qty(text, qid, node_id, q, value=None, unit=None, kind="target", comparator="eq", nth=0,
        mn=None, mx=None):
    return {"id": qid, "node": node_id, "text": q, "span": span(text, q, nth), "source_span": None,
            "value": value, "min": mn, "max": mx, "unit": unit, "comparator": comparator,
            "kind": kind, "subject": None, "verb": None, "rule": "test"}


def notice():
    t = ("测试市人民政府办公室文件\n\n测府办发〔2024〕7号\n\n测试市人民政府办公室关于印发《2024年工作要点》的通知\n\n"
         "各区人民政府，市政府各委办局：\n\n现将《2024年工作要点》印发给你们，请认真贯彻执行。\n\n"
         "附件：2024年工作要点\n\n测试市人民政府办公室\n2024年3月1日\n\n"
         "2024年工作要点\n\n一、稳增长\n\n1.扩大投资。新建住房1325 套，增长5%左右。\n\n"
         "2. 促进消费\n发放消费券3至5亿元。\n\n二、惠民生\n\n（一）就业。新增就业岗位2万个以上。\n\n"
         "抄送：市委办公厅。\n测试市人民政府办公室 2024年3月2日印发\n")
    iss = "测试市人民政府办公室"
    adds = ["各区人民政府", "市政府各委办局"]
    att0 = t.find("2024年工作要点\n\n一")
    p1, p2 = t.find("1.扩大"), t.find("2. 促进")
    s1, s2 = t.find("一、稳"), t.find("二、惠")
    l2 = t.find("（一）就业")
    end = len(t)
    body = [node(t, "att_1__sec_1", "level1", "一、", 1, "稳增长", s1, s2, [
        node(t, "att_1__sec_1__point_1", "level3", "1.", 1, "扩大投资", p1, p2),
        node(t, "att_1__sec_1__point_2", "level3", "2.", 2, "促进消费", p2, s2)]),
        node(t, "att_1__sec_2", "level1", "二、", 2, "惠民生", s2, end, [
            node(t, "att_1__sec_2__subsec_1", "level2", "（一）", 1, "就业", l2, end)])]
    h = header(issuer=iss, doc_number={"text": "测府办发〔2024〕7号", "agency_code": "测府办发",
                                       "year": 2024, "serial": "7"},
               title="测试市人民政府办公室关于印发《2024年工作要点》的通知", doc_type="通知",
               addressees=adds, addressees_text="各区人民政府，市政府各委办局：", date="2024-03-01", date_text="2024年3月1日",
               issuer_mark=iss + "文件", attachment_note="附件：2024年工作要点",
               signature=iss, cc=["市委办公厅"], cc_text="抄送：市委办公厅。", printer=iss, print_date="2024-03-02",
               print_date_text="2024年3月2日")
    h["spans"] = {"issuer_mark": span(t, iss + "文件"), "issuer": span(t, iss),
                  "doc_number": span(t, "测府办发〔2024〕7号"),
                  "title": span(t, "测试市人民政府办公室关于印发《2024年工作要点》的通知"),
                  "doc_type": span(t, "通知", 0, t.find("的通知")),
                  "addressees": span(t, "各区人民政府，市政府各委办局："),
                  "attachment_note": span(t, "附件：2024年工作要点"),
                  "signature": span(t, iss, 0, t.find("要点\n\n测试") + 4),
                  "date": span(t, "2024年3月1日"),
                  "cc": span(t, "抄送：市委办公厅。"), "printer": span(t, iss, 0, t.find("抄送") + 3),
                  "print_date": span(t, "2024年3月2日")}
    qs = [qty(t, "att_1__sec_1__point_1__qty_1", "att_1__sec_1__point_1", "1325 套", 1325, "套"),
          qty(t, "att_1__sec_1__point_1__qty_2", "att_1__sec_1__point_1", "5%左右", 5, "%",
              "target", "approx"),
          qty(t, "att_1__sec_1__point_2__qty_1", "att_1__sec_1__point_2", "3至5亿元", None, "元",
              "target", "range", mn=300000000, mx=500000000),
          qty(t, "att_1__sec_2__subsec_1__qty_1", "att_1__sec_2__subsec_1", "2万个以上", 20000,
              "个", "target", "ge", mn=20000)]
    atts = [{"title": "2024年工作要点", "title_span": span(t, "2024年工作要点", 0, att0),
             "span": [att0 + 11, end],
             "source_span": None, "body": body}]
    return record("notice", t, header=h, attachments=atts, quantities=qs)


def structure():
    """Every kind of unit, units with no heading, text between units, a unit with no span for its
    heading, and a quantity across a unit boundary (kept in meta)."""
    t = ("总则说明。\n第一章 总则\n第一条 为了测试，制定本办法。\n（1）第一项，金额100元。\n①细目甲\n②细目乙\n"
         "第二条 适用范围。\n4.1 概述\n4.2 细则：费用超过\n50元\n第二章 附则\n第三条 本办法自公布之日起施行。\n")
    c1, c2 = t.find("第一章"), t.find("第二章")
    a1, a2, a3 = t.find("第一条"), t.find("第二条"), t.find("第三条")
    l4 = t.find("（1）")
    i1, i2 = t.find("①"), t.find("②")
    o1, o2 = t.find("4.1"), t.find("4.2")
    end = len(t)
    body = [node(t, "chp_1", "chapter", "第一章", 1, "总则", c1, c2, [
        node(t, "chp_1__art_1", "article", "第一条", 1, None, a1, a2, [
            node(t, "chp_1__art_1__para_1", "level4", "（1）", 1, None, l4, i1, []),
            node(t, "chp_1__art_1__subpara_1", "level5", "①", 1, "细目甲", i1, i2),
            node(t, "chp_1__art_1__subpara_2", "level5", "②", 2, None, i2, a2)]),
        node(t, "chp_1__art_2", "article", "第二条", 2, "适用范围", a2, c2, [
            node(t, "chp_1__art_2__lvl_1", "outline", "4.1", 1, "概述", o1, o2),
            node(t, "chp_1__art_2__lvl_2", "outline", "4.2", 2, None, o2, c2)])]),
        node(t, "chp_2", "chapter", "第二章", 2, "附则", c2, end, [
            node(t, "chp_2__art_3", "article", "第三条", 3, None, a3, end)])]
    body[0]["children"][0]["children"][2]["heading"] = "细目乙（无位置）"
    qs = [qty(t, "chp_1__art_1__para_1__qty_1", "chp_1__art_1__para_1", "100元", 100, "元", "other"),
          qty(t, "chp_1__art_2__lvl_2__qty_1", "chp_1__art_2__lvl_2", "超过\n50元", None, "元",
              "other", "gt", mn=50),
          qty(t, "qty_1", None, "第二章 附", 2, "章", "other")]
    return record("structure", t, is_notice=False, body=body, quantities=qs)


def hostile():
    """Text no XML 1.0 document may hold as is: C0 and C1 controls, noncharacters, U+FFFD, markup
    characters, a CR LF, plus a header field whose span runs past the text's end and a date that
    is not a date."""
    t = ("标题\u0001\u001b甲\uFFFE乙\uFDD0丙\U0001FFFF丁\u0085\u0080\uFFFD\r\n"
         "<p>&amp; ]]> \"'\u2028\u00a0\n一、段落\u0007一\n")
    s = t.find("一、")
    body = [node(t, "sec_1", "level1", "一、", 1, "段落\u0007一", s, len(t))]
    h = header(title="标题\u0001", date="2024-02-30", date_text="2024年2月30日",
               issuer="机关\u001f", doc_number={"text": "号 1/2", "agency_code": None,
                                               "year": None, "serial": None})
    h["spans"] = {"title": [0, 4]}
    qs = [qty(t, "sec_1__qty_1", "sec_1", "一", 1, "次\uFFFE", "fact", nth=1)]
    return record("hostile", t, header=h, body=body, quantities=qs)


def errors():
    """Error records, an unusable line, an id that would leave the output folder, a repeated id."""
    good = record("ok", "正文。\n")
    lines = [json.dumps({"schema": "gongwen/1", "id": "zz-empty", "source": {"path": "corpus/zz-empty.txt",
                         "sha256": None, "bytes": 0}, "error": {"code": "empty-file",
                                                                 "message": "the file is empty"}},
                        ensure_ascii=False),
             "{not json",
             json.dumps(record("../escape", "越界。\n"), ensure_ascii=False),
             json.dumps(good, ensure_ascii=False),
             json.dumps(good, ensure_ascii=False),
             json.dumps(record("bad-span", "短。\n", body=[
                 {"id": "sec_1", "kind": "level1", "num": "一、", "ordinal": 1, "heading": None,
                  "span": [0, 99], "heading_span": None, "source_span": None, "children": []}]),
                 ensure_ascii=False),
             json.dumps(record("empty", ""), ensure_ascii=False)]
    return lines


def main():
    cases = {"notice": [notice()], "structure": [structure()], "hostile": [hostile()]}
    for name, recs in cases.items():
        os.makedirs(os.path.join(HERE, name), exist_ok=True)
        with open(os.path.join(HERE, name, "input.jsonl"), "w", encoding="utf-8") as f:
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.makedirs(os.path.join(HERE, "errors"), exist_ok=True)
    with open(os.path.join(HERE, "errors", "input.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(errors()) + "\n")


if __name__ == "__main__":
    main()
