"""Second unseen layout of the demo municipality: a BIFF .xls registry with no «Код ОО»
(name, ИНН, login, РЦОИ code as «Код ОУ в РИС ГИА»), per-year subfolders whose files carry
no year, participant-level ВПР with marks given, all ОГЭ subjects in one long cp1251 csv
with ',' and quoted decimal commas, a long contingent by «Параллель», passports with
«Количество детей …» headings, ЕГЭ per subject with codes as numbers. No shnor.toml."""
import csv, glob, os, re, sys, tomllib, collections
import openpyxl, xlwt

DEMO = sys.argv[2] if len(sys.argv) > 2 else 'examples/demo'
OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)

def rows(path):
    ws = openpyxl.load_workbook(path, read_only=True).worksheets
    return {w.title: [list(r) for r in w.iter_rows(values_only=True)] for w in ws}

reg = rows(f'{DEMO}/реестр.xlsx')['Реестр'][1:]
schools = []
for r in reg:
    login, rcoi = [a.strip() for a in r[6].split(';')]
    schools.append(dict(code=r[0], name=r[1], mun=r[2], settle=r[3], level=r[4], students=int(r[5]),
                        login=login, rcoi=rcoi))
by_login = {s['login']: s for s in schools}
by_code = {s['code']: s for s in schools}
by_rcoi = {s['rcoi']: s for s in schools}

def ydir(y):
    d = f'{OUT}/{y - 1}-{y} учебный год'
    os.makedirs(d, exist_ok=True)
    return d

# Registry: BIFF8 .xls, no «Код ОО»: ИНН, login, РЦОИ code.
wb = xlwt.Workbook(); ws = wb.add_sheet('Сеть ОО')
ws.write(0, 0, 'Сеть общеобразовательных организаций муниципального округа')
head = ['№', 'Наименование общеобразовательной организации', 'ИНН', 'Логин в ФИС ОКО', 'Код ОУ в РИС ГИА',
        'Муниципальный округ', 'Местность', 'Тип организации', 'Контингент (чел.)']
for j, h in enumerate(head): ws.write(2, j, h)
for i, s in enumerate(schools, 1):
    vals = [i, s['name'], str(2200000000 + i * 7919), s['login'], s['rcoi'], s['mun'], s['settle'], s['level'], s['students']]
    for j, v in enumerate(vals): ws.write(2 + i, j, v)
wb.save(f'{OUT}/Сеть ОО.xls')

# ВПР participant level, with a mark column, in the year folder, no year in the file name.
marks = tomllib.load(open(f'{DEMO}/shnor.toml', 'rb'))['marks']
def mark(subj, grade, score):
    m = next(m for m in marks if m['subject'] == subj and m['grade'] == grade)
    return 2 + sum(score >= b for b in m['min_score'])
for path in sorted(glob.glob(f'{DEMO}/Проведение работы*ВПР*.xlsx')):
    base = os.path.basename(path)
    subj = 'Математика' if 'математике' in base else 'Русский язык'
    grade = int(re.search(r'(\d+) класс', base).group(1))
    year = int(re.search(r'ВПР (\d{4})', base).group(1))
    data = list(rows(path).values())[0]
    h = data[0]; iL = h.index('логин школы'); iS = h.index('всего баллов'); iV = h.index('вариант')
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Результаты'
    ws.append(['Логин ОО', 'Код участника', 'Класс', 'Вариант', 'Первичный балл', 'Отметка'])
    for r in data[1:]:
        sc = r[iS]
        absent = sc in (None, '', 'X') or r[iV] == 'отсутствовал'
        ws.append([r[iL], r[h.index('код обучающегося')], f'{grade}{r[h.index("класс")]}',
                   None if absent else r[iV], None if absent else int(float(sc)),
                   None if absent else mark(subj, grade, float(sc))])
    d = ydir(year)
    wb.save(f'{d}/ВПР {subj} {grade} класс.xlsx')

# ОГЭ: one long csv per year, cp1251, ',' with quoted decimal commas.
for year in range(2021, 2026):
    d = ydir(year)
    with open(f'{d}/ОГЭ итоги по ОО.csv', 'w', encoding='cp1251', newline='') as f:
        w = csv.writer(f, delimiter=',', quoting=csv.QUOTE_MINIMAL)
        w.writerow(['Предмет', 'Код ОО', 'Образовательная организация', 'Сдавали (чел.)',
                    'Получили «2»', 'Получили «3»', 'Получили «4»', 'Получили «5»',
                    'Средний первичный балл', 'Средняя оценка'])
        for subj in ['Русский язык', 'Математика']:
            lines = list(csv.reader(open(f'{DEMO}/ОГЭ {year} {subj}.csv', encoding='cp1251'), delimiter=';'))
            for r in lines[2:]:
                code, name, n, ms, mm, n2, n3, n4, n5 = r
                w.writerow([subj, code, name, n, n2, n3, n4, n5, ms, mm])

# ЕГЭ: per-year workbook, a sheet per subject, codes as numbers, 3 title rows.
for year in range(2021, 2026):
    d = ydir(year)
    wb = openpyxl.Workbook(); wb.remove(wb.active)
    for sheet, data in rows(f'{DEMO}/ЕГЭ {year}.xlsx').items():
        hi = next(i for i, r in enumerate(data) if r[0] == 'Код ОО')
        ws = wb.create_sheet(sheet[:31])
        ws.append([f'Результаты ЕГЭ по предмету «{sheet}»'])
        ws.append(['в разрезе общеобразовательных организаций'])
        ws.append([])
        ws.append(['Код ОО', 'ОО', 'Кол-во участников ЕГЭ', 'Средний балл', 'Не набрали минимальный балл, чел.', 'Набрали 80 и более баллов, чел.'])
        for r in data[hi + 1:]:
            if r[0] is None: continue
            ws.append([int(r[0]), r[1], int(r[2]), r[3], int(r[4]), int(r[5]) if r[5] is not None else None])
    wb.save(f'{d}/ЕГЭ результаты.xlsx')

# Olympiad: participant with ФИО-like pseudo names, school as login.
for path in sorted(glob.glob(f'{DEMO}/Протокол МЭ ВсОШ *.xlsx')):
    data = list(rows(path).values())[0]
    year = int('20' + re.search(r'-(\d\d)\.xlsx', path).group(1))
    hi = next(i for i, r in enumerate(data) if r[0] == 'Код ОО')
    d = ydir(year)
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'МЭ'
    ws.append(['Рейтинговая таблица участников муниципального этапа всероссийской олимпиады школьников'])
    ws.append(['Код участника', 'Логин ОО', 'Класс', 'Предмет', 'Количество баллов', 'Статус участника'])
    for r in data[hi + 1:]:
        if r[0] is None: continue
        ws.append([r[1], by_code[r[0]]['login'], int(r[2]), r[3], r[4], r[5]])
    wb.save(f'{d}/Олимпиада МЭ.xlsx')

# Contingent: long, «Параллель», per-year files.
data = list(rows(f'{DEMO}/контингент.xlsx').values())[0]
for year in sorted({int(r[0]) for r in data[1:]}):
    d = ydir(year)
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Контингент'
    ws.append(['ИНН ОО' if False else 'Логин ОО', 'Параллель', 'Количество обучающихся'])
    for r in data[1:]:
        if int(r[0]) != year: continue
        for g in range(1, 12):
            v = int(r[1 + g] or 0)
            if v: ws.append([by_code[r[1]]['login'], g, v])
    wb.save(f'{d}/Контингент по параллелям.xlsx')

# Passports with «Количество детей …» wording, keyed by РЦОИ code.
words = {'Всего обучающихся': 'Количество обучающихся в ОО, всего',
         'Из малообеспеченных семей': 'Количество детей из малообеспеченных семей',
         'Из неполных семей': 'Количество детей из неполных семей',
         'Из многодетных семей': 'Количество детей из многодетных семей',
         'Дети-сироты и оставшиеся без попечения родителей': 'Количество детей-сирот и детей, оставшихся без попечения родителей',
         'Опекаемые': 'Количество опекаемых детей',
         'Дети-инвалиды': 'Количество детей-инвалидов',
         'Обучающиеся с ОВЗ': 'Количество обучающихся с ОВЗ',
         'На внутришкольном учёте': 'Состоят на внутришкольном учёте',
         'На учёте в ПДН, КДН и ЗП': 'Состоят на учёте в ПДН, КДН и ЗП',
         'Из семей в СОП': 'Количество детей из семей, находящихся в СОП',
         'Дети мигрантов (русский язык не родной)': 'Количество детей-мигрантов (русский язык не родной)',
         'Хотя бы один родитель с высшим образованием': 'Дети, у которых хотя бы один родитель имеет высшее образование',
         'Оба родителя с высшим образованием': 'Дети, у которых оба родителя имеют высшее образование',
         'Из семей с безработными родителями': 'Количество детей из семей безработных родителей'}
for path in sorted(glob.glob(f'{DEMO}/Социальный паспорт *.xlsx')):
    data = list(rows(path).values())[0]
    h = data[0]; year = int(data[1][0])
    d = ydir(year)
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Паспорт'
    ws.append(['Код ОО', 'Наименование ОО'] + [words[x] for x in h[2:]])
    for r in data[1:]:
        ws.append([by_code[r[1]]['rcoi'], by_code[r[1]]['name']] + [int(v) for v in r[2:]])
    wb.save(f'{d}/Социальный паспорт.xlsx')
print('ok')
