#!/usr/bin/env python3
"""Writes MirtLab's SCIEX Analyst fixture: tests/MirtLab.Readers.Tests/Golden/sciex-analyst/mirtazapine-plate/input.txt.

The layout (header of about 80 columns, CRLF, trailing tab, cp1252, 3-significant-figure numbers with trailing
dots) is taken from the real export ../shared/corpus/sciex-analyst/Sample_Run1.txt; the content is MirtLab's own:
mirtazapine and N-desmethylmirtazapine with mirtazapine-d3, 8 calibrators, QCs in duplicate, blanks, and 12
patients placed on every flag boundary (30.0, 80.0, 160.0, >ULOQ, <LLOQ, No Peak, a 1:2 dilution, doses).

Like Analyst, the stated curve of each analyte is the weighted fit of its own calibrators, calibrators print the
concentration back-calculated from it, and QC and patient peak areas come from their intended concentrations
through the same curve, so every number in the file is consistent with every other.

    python3 generate_plate.py > mirtazapine-plate/input.txt
    FAIL_LOW_CALS=1 python3 generate_plate.py > ../../../MirtLab.Worker.Tests/Qa/Fixtures/plate-low-calibrators-failing.txt

The failing variant is Sample_Run1's story: the mirtazapine method was left unweighted and CAL 1-3 read high, so
they fail and the run is rejected. It was acquired the day after the good plate. The seed is fixed: the output is the same on every run.
"""
import math, os, random, sys
random.seed(20261121)
header = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', '..', 'shared', 'corpus', 'sciex-analyst', 'Sample_Run1.txt'), encoding='cp1252', newline='').read().split('\r\n')[16]
cols = header.split('\t')
idx = {}
for i,c in enumerate(cols):
    idx.setdefault(c, i)

def sig3(x):
    if x == 0: return "0.00"
    mag = math.floor(math.log10(abs(x)))
    if mag >= 2:
        r = round(x, -(mag-2))
        return f"{int(r)}."
    dec = 2 - mag
    return f"{x:.{dec}f}"

def exp3(x):
    s = f"{x:.2e}"
    m, e = s.split('e')
    sign = e[0]; digits = e[1:].lstrip('0') or '0'
    return f"{m}e{sign}{int(digits):03d}"

def row(sample, sid, ftype, peak, conc_nominal, calc, area, is_area, date, dil="1.0", use="", rt=2.31, is_rt=2.30, modified="0", desc="none"):
    f = ['N/A'] * len(cols)
    f[-1] = ''
    def s(name, v): f[idx[name]] = v
    s('Sample Name', sample); s('Sample ID', str(sid)); s('Filetype', ftype); s('Sample Desc.', desc); s('Set Number', '0')
    s('Acquisition Method', 'MIRT_TDM_v3.dam'); s('Date Of Acq.', date); s('Rack Type', 'Sample Manager w/ SO'); s('Rack Number', '1')
    s('Vial Position', str(sid)); s('Plate Type', 'Roundwell'); s('Plate Number', '1'); s('Filename', f'MIRT-2026-11-{DAY}\\MIRT-{sid:03d}.wiff')
    s('Dil.Factor', dil); s('Weight To Volume Ratio', '0.00')
    f[idx['Sample Annotation']] = ''; f[idx['Sample Annotation']+1] = ''
    s('Peak Name', peak); s('Units', 'ng/mL'); s('Area', area); s('Height', exp3(float(area)*0.61) if area not in ('0.0','N/A') else '0.00e+000')
    s('Analyte Annotation', ''); s('Conc.', conc_nominal); s('R.T.', f"{rt:.2f}"); s('Expected RT', '2.31'); s('RT Window', '5.00')
    s('Integ.Type', 'Base To Base'); s('IS Peak Name', 'Mirtazapine-d3'); s('IS Units', 'ng/mL'); s('IS Area', is_area)
    s('IS Conc.', '1.00'); s('IS R.T.', f"{is_rt:.2f}"); s('IS Integ.Type', 'Base To Base')
    s('Use Record', use); s('Record Modified', modified); s('Calc.Conc.', calc)
    if conc_nominal != 'N/A' and calc not in ('No Peak','#DIV/0!','N/A'):
        acc = float(calc) / float(conc_nominal) * 100
        s('Accuracy', f"{acc:.1f}")
    return '\t'.join(f)

curves = {
  'Mirtazapine': dict(kind='Linear', w='1  / (x * x)', c=(0.00213, 0.0198), r=0.9991),
  'N-desmethylmirtazapine': dict(kind='Quadratic', w='1  / x', c=(0.00102, 0.0171, -1.2e-6), r=0.9987),
}
def ratio_for(peak, conc):
    c = curves[peak]['c']
    return c[0] + c[1]*conc + (c[2]*conc*conc if len(c) == 3 else 0)

FAIL = os.environ.get('FAIL_LOW_CALS') == '1'
DAY = 22 if FAIL else 21  # the failing plate is the next day's run: the good plate's QCs are its Westgard history
lines = []
cal_points = {'Mirtazapine': [], 'N-desmethylmirtazapine': []}
pending_cals = []

samples = []  # (name, type, {peak: (nominal, true_conc or None/'nopeak', dil)})
cal_levels = [1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 200.0]
samples.append(('Double Blank', 'Unknown', {'Mirtazapine': ('N/A', 'div0', '1.0'), 'N-desmethylmirtazapine': ('N/A', 'div0', '1.0')}))
samples.append(('Blank', 'Unknown', {'Mirtazapine': ('N/A', 'nopeak', '1.0'), 'N-desmethylmirtazapine': ('N/A', 'nopeak', '1.0')}))
bias = {0: 1.31, 1: 1.25, 2: 1.19}
for i, lvl in enumerate(cal_levels):
    m = lvl * random.uniform(0.95, 1.05)
    n = lvl * random.uniform(0.95, 1.05)
    if FAIL and i in bias:
        m *= bias[i]
    samples.append((f'CAL {i+1}', 'Standard', {'Mirtazapine': (lvl, m, '1.0'), 'N-desmethylmirtazapine': (lvl, n, '1.0')}))
for qc, lvl in [('LQC', 3.0), ('MQC', 40.0), ('HQC', 160.0)]:
    for rep in (1, 2):
        samples.append((f'{qc} {rep}', 'Quality Control', {'Mirtazapine': (lvl, lvl * random.uniform(0.93, 1.07), '1.0'), 'N-desmethylmirtazapine': (lvl, lvl * random.uniform(0.93, 1.07), '1.0')}))
patients = [
  ('P-240117 trough', 46.3, 25.1, '1.0'),     # in range
  ('P-240118 trough', 21.4, 14.2, '1.0'),     # L (below 30)
  ('P-240119 trough', 58.2, 31.0, '1.0'),
  ('P-240120 trough', 80.0, 41.7, '1.0'),     # exactly the upper limit: no flag
  ('P-240121 trough', 30.0, 18.4, '1.0'),     # exactly the lower limit: no flag
  ('P-240122 trough', 85.4, 50.2, '1.0'),     # H
  ('P-240123 trough', 160.0, 70.3, '1.0'),    # exactly the alert level: H, not HH
  ('P-240124 trough', 171.0, 88.0, '1.0'),    # HH
  ('P-240125 trough', 251.0, 120.0, '1.0'),   # > ULOQ 200: '>' and HH
  ('P-240126 trough', 0.62, 'nopeak', '1.0'), # < LLOQ: '<' and L; metabolite not detected
  ('P-240127 trough', 'nopeak', 'nopeak', '1.0'), # not detected
  ('P-240128 diluted', 310.0, 140.0, '2.0'),  # diluted 1:2: within 2..400
]
doses = {'P-240117 trough': 'dose=30mg/d', 'P-240118 trough': 'dose=15mg/d', 'P-240119 trough': 'dose=45mg/d', 'P-240122 trough': 'dose=30mg/d'}
for name, m, n, dil in patients:
    samples.append((name, 'Unknown', {'Mirtazapine': ('N/A', m, dil), 'N-desmethylmirtazapine': ('N/A', n, dil)}, doses.get(name, 'none')))
samples.append(('Blank after ULOQ', 'Unknown', {'Mirtazapine': ('N/A', 'nopeak', '1.0'), 'N-desmethylmirtazapine': ('N/A', 'nopeak', '1.0')}))

def wls(points, degree, weight):
    # weighted least squares y = sum c_k x^k, weights w(x); normal equations solved by Gaussian elimination
    n = degree + 1
    A = [[0.0]*n for _ in range(n)]; b = [0.0]*n
    for x, y in points:
        w = weight(x)
        for r in range(n):
            b[r] += w * y * x**r
            for c in range(n):
                A[r][c] += w * x**(r+c)
    for i in range(n):
        p = max(range(i, n), key=lambda k: abs(A[k][i])); A[i], A[p] = A[p], A[i]; b[i], b[p] = b[p], b[i]
        for k in range(i+1, n):
            f = A[k][i] / A[i][i]
            for c in range(i, n): A[k][c] -= f * A[i][c]
            b[k] -= f * b[i]
    coef = [0.0]*n
    for i in reversed(range(n)):
        coef[i] = (b[i] - sum(A[i][c]*coef[c] for c in range(i+1, n))) / A[i][i]
    # weighted r, as Analyst reports it
    sw = sum(weight(x) for x, _ in points)
    ybar = sum(weight(x)*y for x, y in points) / sw
    ssr = sum(weight(x)*(y - sum(coef[k]*x**k for k in range(n)))**2 for x, y in points)
    sst = sum(weight(x)*(y - ybar)**2 for x, y in points)
    return coef, math.sqrt(max(0.0, 1 - ssr/sst))

def g3(x):
    if abs(x) < 1e-4 and x != 0:
        return exp3(x)
    return f"{x:.3g}"

# The failing variant is Sample_Run1's story: the method was left unweighted, so the curve follows the high
# calibrators and the biased low ones fail.

fits = {}
def vendor_fit(peak):
    # Analyst fits the curve to its calibrators; every printed concentration is back-calculated from that curve.
    if peak not in fits:
        if peak == 'Mirtazapine':
            coef, r = wls(cal_points[peak], 1, (lambda x: 1.0) if FAIL else (lambda x: 1/(x*x)))
        else:
            coef, r = wls(cal_points[peak], 2, lambda x: 1/x)
        fits[peak] = (coef, r)
    return fits[peak]

def forward(coef, c):
    return sum(k * c**i for i, k in enumerate(coef))

def back(coef, y):
    if len(coef) == 2:
        return (y - coef[0]) / coef[1]
    a0, a1, a2 = coef
    disc = a1*a1 - 4*a2*(a0 - y)
    return (-a1 + math.sqrt(disc)) / (2*a2) if a2 != 0 else (y - a0) / a1

sid = 0
t0 = (8, 15, 2)
for entry in samples:
    name, ftype, peaks = entry[0], entry[1], entry[2]
    desc = entry[3] if len(entry) > 3 else 'none'
    sid += 1
    minute = 15 + sid * 6
    date = f"{DAY}-Nov-2026 {8 + minute // 60}:{minute % 60:02d}:{(sid*7) % 60:02d}"
    for peak in ['Mirtazapine', 'N-desmethylmirtazapine']:
        nominal, conc, dil = peaks[peak]
        is_area = random.uniform(140000, 165000)
        use = '1' if ftype == 'Standard' else ''
        rt = 2.31 if peak == 'Mirtazapine' else 2.12
        if conc == 'div0':
            r = row(name, sid, ftype, peak, 'N/A', '#DIV/0!', '0.0', '0.0', date, dil, use, rt, desc=desc)
        elif conc == 'nopeak':
            r = row(name, sid, ftype, peak, 'N/A' if nominal == 'N/A' else sig3(nominal), 'No Peak', '0.0', f"{is_area:.1f}", date, dil, use, rt, desc=desc)
        elif ftype == 'Standard':
            area = ratio_for(peak, conc) * is_area
            cal_points[peak].append((float(nominal), area / is_area))
            pending_cals.append((peak, name, sid, ftype, nominal, area, is_area, date, dil, use, rt, desc, len(lines)))
            r = None
        else:
            coef, _ = vendor_fit(peak)
            c_eff = conc / float(dil)
            area = forward(coef, c_eff) * is_area
            r = row(name, sid, ftype, peak, 'N/A' if nominal == 'N/A' else sig3(nominal), sig3(conc), f"{area:.1f}", f"{is_area:.1f}", date, dil, use, rt, desc=desc)
        lines.append(r)

# Calibrators are printed once their curve is known: the concentration Analyst back-calculates from it.
for peak, name, sid_, ftype, nominal, area, is_area, date, dil, use, rt, desc, index in pending_cals:
    coef, _ = vendor_fit(peak)
    lines[index] = row(name, sid_, ftype, peak, sig3(nominal), sig3(back(coef, area / is_area)), f"{area:.1f}", f"{is_area:.1f}", date, dil, use, rt, desc=desc)

m_coef, m_r = vendor_fit('Mirtazapine')
m_weighting = 'None' if FAIL else '1  / (x * x)'
n_coef, n_r = vendor_fit('N-desmethylmirtazapine')
head = []
head += ['Peak Name: Mirtazapine-d3', 'Use as Internal Standard', 'Q1/Q3 Masses: 269.20/195.10 Da', '']
head += ['Peak Name: Mirtazapine', 'Internal Standard: Mirtazapine-d3', 'Q1/Q3 Masses: 266.20/195.10 Da', '']
head += [f'Fit\tLinear\tWeighting\t{m_weighting}\tIterate\tNo', f'Intercept\t{g3(m_coef[0])}', f'Slope\t{g3(m_coef[1])}', f'Correlation coefficient\t{m_r:.4f}', 'Use Area', '']
head += ['Peak Name: N-desmethylmirtazapine', 'Internal Standard: Mirtazapine-d3', 'Q1/Q3 Masses: 252.20/195.10 Da', '']
head += ['Fit\tQuadratic\tWeighting\t1  / x\tIterate\tNo', f'a0\t{g3(n_coef[0])}', f'a1\t{g3(n_coef[1])}', f'a2\t{g3(n_coef[2])}', f'Correlation coefficient\t{n_r:.4f}', 'Use Area', '', '', '']
head += [header]
lines = head + lines
data = '\r\n'.join(lines) + '\r\n'
sys.stdout.buffer.write(data.encode('cp1252'))
