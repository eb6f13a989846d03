#!/usr/bin/env python3
"""Differential run of `scanstation decode` against biip, the GS1 oracle of the reference corpus.

    python3 -m venv /tmp/oracle && /tmp/oracle/bin/pip install biip==5.2.0
    /tmp/oracle/bin/python Tools/differential-gs1.py .build/debug/scanstation [CASES] [SEED]

Generates random GS1 element strings (every AI of biip's table, values from each AI's format,
some check digits, dates, separators and lengths wrong on purpose), plain GTINs and GS1 Digital
Link URIs; decodes them with both; prints each case where the verdict, the elements, a date or
a decimal differ. A developer's tool (it needs biip from PyPI), not a test: the committed corpus
tests (Tests/ScanCodesTests) pin what such runs found.

Differences that remain on purpose, where scanstation follows the GS1 General Specifications and
biip does not check (they are counted, not printed):
- check digits and check character pairs of keys biip leaves alone (GSIN 402, GDTI 253, GCN 255,
  GRAI 8003, GSRN 8017/8018, the GTINs inside ITIP 8006/8026, GMN 8013);
- ISO 3166 country and ISO 4217 currency codes (42x, 391n/393n, 4307), piece-of-total (8006,
  8026), code lists (7252, 8001 winding), latitude/longitude (4309), CPID serial without a
  leading zero (8011), a day 00 in date-times (7003, 8008), a repeated AI with two values;
- the human-readable form `(01)...`, which scanstation reads and biip.parse does not;
- amounts with fewer digits than decimals (391n 7 is 0.0000007): biip places the point wrongly.
"""
import json
import random
import re
import subprocess
import sys
import urllib.parse

import biip
from biip.gs1_application_identifiers import _GS1_APPLICATION_IDENTIFIERS as AIS

GS = "\x1d"
CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
COMMON = [ai for ai in ["00", "01", "02", "10", "11", "13", "15", "17", "20", "21", "22", "235", "240", "241", "250",
                        "251", "253", "254", "30", "37", "3103", "3202", "3922", "3932", "400", "401", "410", "414",
                        "415", "420", "421", "422", "7003", "8003", "8004", "8005", "8008", "8020", "90", "91"] if ai in AIS]
ON_PURPOSE = re.compile(
    r"ISO 3166|ISO 4217|check characters|GSIN|GDTI|GCN|GRAI|GSRN|in AI \(80(06|26)\)|appears twice|piece \d+ of|"
    r"day 0 is not|two capital letters|winding|must not start with 0|BIO SEX|latitude|longitude")


def check_digit(body):
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


class Generator:
    def __init__(self, seed):
        self.rnd = random.Random(seed)

    def digits(self, n):
        return "".join(self.rnd.choice("0123456789") for _ in range(n))

    def component(self, kind, variable, n):
        length = self.rnd.randint(1, n) if variable else n
        if self.rnd.random() < 0.04:
            length = max(0, length + self.rnd.choice([-1, 1]))
        alphabet = "0123456789" if kind == "N" else CSET82
        return "".join(self.rnd.choice(alphabet) for _ in range(length))

    def date(self):
        yy, mm, dd = self.rnd.randint(15, 45), self.rnd.randint(1, 12), self.rnd.randint(1, 28)
        r = self.rnd.random()
        if r < 0.05:
            dd = 0
        elif r < 0.08:
            mm = self.rnd.choice([0, 13])
        elif r < 0.11:
            dd = self.rnd.choice([29, 30, 31, 32])
        return "%02d%02d%02d" % (yy, mm, dd)

    def value(self, ai):
        if ai in ("11", "12", "13", "15", "16", "17", "7006"):
            return self.date()
        if ai == "7003":
            return self.date() + "%02d%02d" % (self.rnd.randint(0, 24), self.rnd.randint(0, 59))
        parts = []
        for optional, kind, dots, n in re.findall(r"(\[)?\+?([A-Z])(\.\.)?(\d+)", AIS[ai].format.split("+", 1)[1]):
            if optional and self.rnd.random() < 0.5:
                break
            parts.append(self.component(kind, bool(dots), int(n)))
        value = "".join(parts)
        if (ai in ("00", "01", "02") or ai.startswith("41")) and value.isdigit() and len(value) in (13, 14, 18):
            if self.rnd.random() < 0.85:
                value = value[:-1] + check_digit(value[:-1])
        return value

    def element_string(self):
        chosen, text = [], ""
        count = self.rnd.randint(1, 5)
        for index in range(count):
            ai = self.rnd.choice(COMMON) if self.rnd.random() < 0.7 else self.rnd.choice(list(AIS))
            value = self.value(ai)
            chosen.append((ai, value))
            text += ai + value
            if index < count - 1 and AIS[ai].separator_required and self.rnd.random() > 0.03:
                text += GS
        return self.rnd.choice(["]C1", "]C1", "]d2", "]Q3", "", "]e0"]) + text

    def plain_gtin(self):
        body = self.digits(self.rnd.choice([8, 12, 13, 14]) - 1)
        return self.rnd.choice(["", "", "]E0", "]E4", "]I1"]) + body + (check_digit(body) if self.rnd.random() < 0.8 else self.digits(1))

    def digital_link(self):
        host = self.rnd.choice(["https://id.gs1.org", "https://example.com/some/path", "http://brand.example"])
        body = self.digits(13)
        uri = host + "/01/" + body + check_digit(body)
        for ai in ("10", "21"):
            if self.rnd.random() < 0.5:
                uri += "/%s/%s" % (ai, urllib.parse.quote(self.component("X", True, 20) or "A", safe=""))
        query = []
        if self.rnd.random() < 0.5:
            query.append("17=" + self.date())
        if self.rnd.random() < 0.3:
            query.append("3103=" + self.digits(6))
        return uri + ("?" + "&".join(query) if query else "")


def oracle(case, kind):
    result = biip.parse(case)
    if kind == "gtin":  # as the corpus judges plain GTINs: by biip's GTIN reading alone
        if result.gtin is not None:
            return {"ok": True, "gtin": result.gtin.as_gtin_14()}
        return {"ok": False, "why": result.gtin_error or ""}
    message = result.gs1_message if kind == "gs1" else result.gs1_digital_link_uri
    if message is None:
        return {"ok": False, "why": (result.gs1_message_error if kind == "gs1" else result.gs1_digital_link_uri_error) or ""}
    elements, ok = [], True
    for element in message.element_strings:
        entry = {"ai": element.ai.ai, "value": element.value}
        if element.date:
            entry["date"] = element.date.isoformat()
        if element.decimal is not None:
            entry["decimal"] = str(element.decimal)
        if element.gtin_error or element.sscc_error or element.gln_error:
            ok = False
        elements.append(entry)
    return {"ok": ok, "elements": elements}


def main():
    binary = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    generator = Generator(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    makers = [("gs1", generator.element_string)] * 6 + [("gtin", generator.plain_gtin), ("link", generator.digital_link)]
    kinds, cases = zip(*[(kind, make()) for kind, make in (generator.rnd.choice(makers) for _ in range(count))])
    answers = {}
    # Element strings are read as GS1 (`--as gs1`): without an AIM identifier the default label
    # scheme reads only those starting with 00, 01 or 02 as GS1. The rest as a scanner sends them.
    for kind, reading in (("gs1", ["--as", "gs1"]), ("gtin", []), ("link", [])):
        batch = [case for case_kind, case in zip(kinds, cases) if case_kind == kind]
        run = subprocess.run([binary, "decode", "--format", "jsonl", "--reference-date", "2026-11-24"] + reading,
                             input="\n".join(batch) + "\n", capture_output=True, text=True, check=True)
        lines = run.stdout.splitlines()
        assert len(lines) == len(batch), "one answer per case"
        answers[kind] = iter(json.loads(line) for line in lines)
    printed = on_purpose = 0
    for kind, case in zip(kinds, cases):
        answer = next(answers[kind])
        expected = oracle(case, kind)
        problems = []
        error = json.dumps(answer.get("error"))
        if expected["ok"] != answer["ok"]:
            if ON_PURPOSE.search(error) or (case.startswith("(") and answer["ok"]):
                on_purpose += 1
                continue
            problems.append("verdict: biip %s (%s), scanstation %s (%s)" % (expected["ok"], expected.get("why", ""), answer["ok"], error))
        elif expected["ok"] and "gtin" in expected and expected["gtin"] != answer.get("gtin"):
            problems.append("gtin: biip %s, scanstation %s" % (expected["gtin"], answer.get("gtin")))
        elif expected["ok"] and "elements" in expected:
            theirs = [(e["ai"], e["value"]) for e in expected["elements"]]
            mine = [(e["ai"], e["value"]) for e in answer["elements"]]
            if theirs != mine:
                problems.append("elements: biip %s, scanstation %s" % (theirs, mine))
            else:
                for reference, element in zip(expected["elements"], answer["elements"]):
                    if "date" in reference and reference["date"] != element.get("date"):
                        problems.append("AI %s date: biip %s, scanstation %s" % (reference["ai"], reference["date"], element.get("date")))
                    if "decimal" in reference and element.get("decimal") is not None:
                        # 391n and 393n carry an ISO 4217 currency before the amount.
                        digits = len(element["value"]) - (3 if element["ai"][:3] in ("391", "393") else 0)
                        decimals = int(element["ai"][3]) if len(element["ai"]) == 4 else 0
                        if decimals <= digits and abs(float(reference["decimal"]) - float(element["decimal"])) > 1e-9 * max(1.0, abs(float(reference["decimal"]))):
                            problems.append("AI %s decimal: biip %s, scanstation %s" % (reference["ai"], reference["decimal"], element["decimal"]))
        if problems:
            printed += 1
            print(json.dumps(case), "|", "; ".join(problems))
    print("%d cases: %d differ, %d differ on purpose (see the header)" % (len(cases), printed, on_purpose), file=sys.stderr)
    sys.exit(1 if printed else 0)


if __name__ == "__main__":
    main()
